package dev.basalt.api.service;

import java.util.Map;

/**
 * What a backup update changes: the name when {@code setName}, the description when
 * {@code setDescription} (either may become null), and all its metadata when {@code metadata} is
 * not null.
 */
public record BackupChanges(boolean setName, String name, boolean setDescription, String description,
                            Map<String, String> metadata) {
    public BackupChanges {
        metadata = metadata == null ? null : Map.copyOf(metadata);
    }
}
