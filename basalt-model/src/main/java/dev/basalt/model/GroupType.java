package dev.basalt.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A group type (microversion 3.11) and its group specs. Unlike a volume type's extra specs, a
 * group spec may have a null value, as Cinder's group specs API stores one.
 */
public record GroupType(
        String id,
        String name,
        String description,
        boolean isPublic,
        Map<String, String> groupSpecs,
        Instant createdAt,
        Instant updatedAt) {

    public GroupType {
        groupSpecs = groupSpecs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(groupSpecs));
    }

    public GroupType withGroupSpecs(Map<String, String> specs) {
        return new GroupType(id, name, description, isPublic, specs, createdAt, updatedAt);
    }
}
