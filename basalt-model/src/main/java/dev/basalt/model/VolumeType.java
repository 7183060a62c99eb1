package dev.basalt.model;

import java.time.Instant;
import java.util.Map;

/**
 * A volume type and its extra specs (capability requirements and hints for the scheduler), and
 * the QoS specs associated with it ({@code qosSpecsId}, null when none).
 */
public record VolumeType(
        String id,
        String name,
        String description,
        boolean isPublic,
        Map<String, String> extraSpecs,
        Instant createdAt,
        Instant updatedAt,
        String qosSpecsId) {

    public VolumeType {
        extraSpecs = extraSpecs == null ? Map.of() : Map.copyOf(extraSpecs);
    }

    public VolumeType withExtraSpecs(Map<String, String> specs) {
        return new VolumeType(id, name, description, isPublic, specs, createdAt, updatedAt, qosSpecsId);
    }
}
