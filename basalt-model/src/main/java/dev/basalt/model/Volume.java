package dev.basalt.model;

import java.time.Instant;
import java.util.Map;

/**
 * A volume as stored. {@code host} is where it lives once scheduled, in Cinder's
 * {@code host@backend#pool} form; null while not yet placed. {@code errorReason} keeps why an
 * asynchronous operation failed, for the user.
 */
public record Volume(
        String id,
        String projectId,
        String userId,
        String name,
        String description,
        int size,
        VolumeStatus status,
        AttachStatus attachStatus,
        String availabilityZone,
        String host,
        String volumeTypeId,
        boolean bootable,
        boolean multiattach,
        String snapshotId,
        String sourceVolid,
        String serviceUuid,
        String errorReason,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt,
        Instant launchedAt) {

    public Volume {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The backend part of {@code host} ({@code host@backend}), or null when unplaced. */
    public String backend() {
        return host == null ? null : BackendName.backendOf(host);
    }

    public Volume withStatus(VolumeStatus newStatus) {
        return new Volume(id, projectId, userId, name, description, size, newStatus, attachStatus,
                availabilityZone, host, volumeTypeId, bootable, multiattach, snapshotId, sourceVolid,
                serviceUuid, errorReason, metadata, createdAt, updatedAt, launchedAt);
    }

    public Volume withMetadata(Map<String, String> newMetadata) {
        return new Volume(id, projectId, userId, name, description, size, status, attachStatus,
                availabilityZone, host, volumeTypeId, bootable, multiattach, snapshotId, sourceVolid,
                serviceUuid, errorReason, newMetadata, createdAt, updatedAt, launchedAt);
    }
}
