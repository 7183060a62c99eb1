package dev.basalt.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cinder's per-GB QoS: for each rate ({@code total_iops_sec}, …) given as {@code <rate>_per_gb},
 * the rate becomes {@code per_gb × size}, at least {@code <rate>_per_gb_min} and at most
 * {@code <rate>_max} (both optional and consumed), as an integer; other specs stay as they are.
 */
public final class QosPerGb {
    /** The rates that have a per-GB form. */
    public static final List<String> RATES = List.of("read_iops_sec", "read_bytes_sec", "write_iops_sec",
            "write_bytes_sec", "total_iops_sec", "total_bytes_sec");

    private QosPerGb() {
    }

    /**
     * The specs for a volume of {@code sizeGb}: per-GB rates replaced by their absolute value (a
     * {@link Long}); a per-GB rate whose numbers are not integers is left as given.
     */
    public static Map<String, Object> scale(Map<String, String> specs, int sizeGb) {
        Map<String, Object> scaled = new LinkedHashMap<>(specs);
        for (String rate : RATES) {
            String perGb = specs.get(rate + "_per_gb");
            if (perGb == null) {
                continue;
            }
            try {
                long minimum = parse(specs.get(rate + "_per_gb_min"), 0);
                long value = Math.max(minimum, Math.multiplyExact(Long.parseLong(perGb.trim()), sizeGb));
                long maximum = parse(specs.get(rate + "_max"), value);
                scaled.remove(rate + "_per_gb_min");
                scaled.remove(rate + "_max");
                scaled.remove(rate + "_per_gb");
                scaled.put(rate, Math.min(value, maximum));
            } catch (NumberFormatException | ArithmeticException e) {
                // left as given: the host (front-end) or the target (back-end) judges it
            }
        }
        return scaled;
    }

    private static long parse(String text, long fallback) {
        return text == null ? fallback : Long.parseLong(text.trim());
    }
}
