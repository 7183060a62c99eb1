package dev.basalt.api.service;

import java.util.Map;

/**
 * What a caller asks of a new backup: of volume {@code volumeId}, or of its snapshot
 * {@code snapshotId} when given; {@code incremental} builds on the volume's latest available
 * backup; {@code force} allows an {@code in-use} volume (which Basalt refuses for now);
 * {@code availabilityZone} (null: any) is where the backup service must be. {@code metadata} is
 * never null.
 */
public record NewBackup(String volumeId, String snapshotId, String name, String description, String container,
                        boolean incremental, boolean force, String availabilityZone, Map<String, String> metadata) {
    public NewBackup {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
