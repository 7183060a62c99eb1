package dev.basalt.api.service;

import java.util.Map;

/** What a caller asks of a new snapshot of a volume; {@code metadata} is never null. */
public record NewSnapshot(String name, String description, Map<String, String> metadata) {
    public NewSnapshot {
        metadata = metadata == null ? Map.of() : metadata;
    }
}
