package dev.basalt.model;

import java.time.Instant;
import java.util.Map;

/** A volume type and its extra specs (capability requirements and hints for the scheduler). */
public record VolumeType(
        String id,
        String name,
        String description,
        boolean isPublic,
        Map<String, String> extraSpecs,
        Instant createdAt,
        Instant updatedAt) {

    public VolumeType {
        extraSpecs = extraSpecs == null ? Map.of() : Map.copyOf(extraSpecs);
    }

    public VolumeType withExtraSpecs(Map<String, String> specs) {
        return new VolumeType(id, name, description, isPublic, specs, createdAt, updatedAt);
    }
}
