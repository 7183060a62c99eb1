package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.QosSpecsRepository;
import dev.basalt.model.QosPerGb;
import dev.basalt.model.Volume;
import java.util.Map;

/**
 * The {@code qos_specs} of a volume's connection info, as Cinder's volume manager fills them in:
 * the specs of the volume type's QoS specs when their consumer is {@code front-end} or
 * {@code both} (per-GB rates scaled by the volume's size), else null.
 */
public final class FrontEndQos {
    private final QosSpecsRepository qosSpecs;

    public FrontEndQos(QosSpecsRepository qosSpecs) {
        this.qosSpecs = requireNonNull(qosSpecs, "qosSpecs");
    }

    /** The specs the host applies to this volume, or null when there are none for it. */
    Map<String, Object> forVolume(Volume volume) {
        if (volume.volumeTypeId() == null) {
            return null;
        }
        return qosSpecs.forType(volume.volumeTypeId())
                .filter(q -> q.consumer().frontEnd())
                .map(q -> QosPerGb.scale(q.specs(), volume.size()))
                .orElse(null);
    }
}
