package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.PoolCapabilities;
import dev.basalt.model.PoolCapacity;
import dev.basalt.rpc.PoolsQuery;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Picks the pools a {@code get_pools} query asks for, as Cinder's host manager does: by exact
 * name, by each other filter against the pool's capabilities (a boolean capability against the
 * value read as a boolean, anything else compared as text), and by volume type — the pools this
 * scheduler's filters pass for a volume of that type (no size, no zone of its own).
 */
final class PoolSelection {
    private static final String QUERY_ID = "get_pools";

    private final FilterScheduler scheduler;

    PoolSelection(FilterScheduler scheduler) {
        this.scheduler = requireNonNull(scheduler, "scheduler");
    }

    List<PoolCapacity> select(List<PoolCapacity> pools, PoolsQuery query) {
        List<PoolCapacity> named = pools.stream()
                .filter(p -> query.name() == null || query.name().equals(p.location()))
                .filter(p -> matches(PoolCapabilities.of(p), query.capabilities()))
                .toList();
        if (query.volumeTypeExtraSpecs() == null || named.isEmpty()) {
            return named;
        }
        RequestSpec type = RequestSpec.forVolume(QUERY_ID, 0, null, query.volumeTypeExtraSpecs());
        List<PoolCapacity> passed = scheduler.rank(named, type).ranked().stream()
                .map(FilterScheduler.WeighedPool::pool).toList();
        return named.stream().filter(passed::contains).toList();
    }

    private static boolean matches(Map<String, Object> capabilities, Map<String, String> filters) {
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            if (!equalAfterConvert(capabilities.get(filter.getKey()), filter.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Cinder's comparison of a query value (text) with a capability of any type. */
    static boolean equalAfterConvert(Object capability, String value) {
        if (capability == null) {
            return false;
        }
        if (capability instanceof Boolean flag) {
            return flag == isTrue(value);
        }
        return Objects.equals(pythonText(capability), value);
    }

    /** How Python prints a number or string ({@code str()}): floats keep a {@code .0}. */
    private static String pythonText(Object capability) {
        if (capability instanceof Double d) {
            if (d.isInfinite()) {
                return d > 0 ? "inf" : "-inf";
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e16) {
                return BigDecimal.valueOf(d).setScale(1).toPlainString();
            }
            return d.toString();
        }
        if (capability instanceof Float f) {
            return pythonText(f.doubleValue());
        }
        return capability.toString();
    }

    /** oslo's bool_from_string: true, yes, on, y, t and 1 (in any case) are true, anything else false. */
    private static boolean isTrue(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "t", "true", "on", "y", "yes" -> true;
            default -> false;
        };
    }
}
