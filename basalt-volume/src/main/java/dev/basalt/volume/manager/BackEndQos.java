package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.QosSpecsRepository;
import dev.basalt.iscsi.IoLimits;
import dev.basalt.model.QosPerGb;
import dev.basalt.model.Volume;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limits Basalt's target enforces on a volume's export: the specs of its type's QoS specs
 * when their consumer is {@code back-end} or {@code both} ({@code total_iops_sec},
 * {@code read_iops_sec}, {@code write_iops_sec}, {@code total_bytes_sec}, {@code read_bytes_sec},
 * {@code write_bytes_sec}, and their {@code _per_gb} forms scaled by the volume's size). Other
 * keys are not rates and are ignored; a rate that is not a whole number is ignored with a warning.
 */
final class BackEndQos {
    private static final Logger LOG = LoggerFactory.getLogger(BackEndQos.class);

    private final QosSpecsRepository qosSpecs;

    BackEndQos(QosSpecsRepository qosSpecs) {
        this.qosSpecs = requireNonNull(qosSpecs, "qosSpecs");
    }

    /** The limits of the volume's export now ({@link IoLimits#NONE} without back-end specs). */
    IoLimits forVolume(Volume volume) {
        if (volume.volumeTypeId() == null) {
            return IoLimits.NONE;
        }
        return qosSpecs.forType(volume.volumeTypeId())
                .filter(q -> q.consumer().backEnd())
                .map(q -> limits(volume.id(), QosPerGb.scale(q.specs(), volume.size())))
                .orElse(IoLimits.NONE);
    }

    private static IoLimits limits(String volumeId, Map<String, Object> specs) {
        return new IoLimits(rate(volumeId, specs, "total_iops_sec"), rate(volumeId, specs, "read_iops_sec"),
                rate(volumeId, specs, "write_iops_sec"), rate(volumeId, specs, "total_bytes_sec"),
                rate(volumeId, specs, "read_bytes_sec"), rate(volumeId, specs, "write_bytes_sec"));
    }

    private static long rate(String volumeId, Map<String, Object> specs, String key) {
        Object value = specs.get(key);
        if (value == null) {
            return 0;
        }
        try {
            long rate = value instanceof Long l ? l : Long.parseLong(value.toString().trim());
            return Math.max(0, rate);
        } catch (NumberFormatException e) {
            LOG.warn("volume {}: QoS spec {} = '{}' is not a whole number; its export is not limited by it",
                    volumeId, key, value);
            return 0;
        }
    }
}
