package dev.basalt.api.service;

import java.util.Map;

/**
 * A request to manage an existing snapshot of a volume: the driver's reference to it (Cinder's
 * {@code source-name}; null when the request's {@code ref} gives none) and the new snapshot's
 * optional name, description and metadata.
 */
public record NewManagedSnapshot(String reference, String name, String description, Map<String, String> metadata) {
    public NewManagedSnapshot {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
