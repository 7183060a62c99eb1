package dev.basalt.model;

import java.time.Instant;
import java.util.Map;

/**
 * A point-in-time copy of a volume, as stored. It lives where its volume lives (the volume's
 * {@code host}), and keeps the volume's size and type at the time it was taken
 * ({@code volumeSize}, {@code volumeTypeId}). {@code progress} is Cinder's percentage text
 * ({@code 0%} while creating, {@code 100%} once available). {@code errorReason} keeps why an
 * asynchronous operation failed, for the user. {@code encryptionKeyId} is its volume's key id
 * (null: not encrypted), which volumes made from it start from. {@code groupSnapshotId} names the
 * group snapshot it was taken as a member of (3.14; null: none).
 */
public record Snapshot(
        String id,
        String volumeId,
        String projectId,
        String userId,
        String name,
        String description,
        SnapshotStatus status,
        String progress,
        int volumeSize,
        String volumeTypeId,
        String errorReason,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt,
        String encryptionKeyId,
        String groupSnapshotId) {

    public Snapshot {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A snapshot that is no group snapshot's member. */
    public Snapshot(String id, String volumeId, String projectId, String userId, String name, String description,
                    SnapshotStatus status, String progress, int volumeSize, String volumeTypeId, String errorReason,
                    Map<String, String> metadata, Instant createdAt, Instant updatedAt, String encryptionKeyId) {
        this(id, volumeId, projectId, userId, name, description, status, progress, volumeSize, volumeTypeId,
                errorReason, metadata, createdAt, updatedAt, encryptionKeyId, null);
    }

    /** A snapshot of a volume that is not encrypted. */
    public Snapshot(String id, String volumeId, String projectId, String userId, String name, String description,
                    SnapshotStatus status, String progress, int volumeSize, String volumeTypeId, String errorReason,
                    Map<String, String> metadata, Instant createdAt, Instant updatedAt) {
        this(id, volumeId, projectId, userId, name, description, status, progress, volumeSize, volumeTypeId,
                errorReason, metadata, createdAt, updatedAt, null, null);
    }

    public Snapshot withStatus(SnapshotStatus newStatus) {
        return new Snapshot(id, volumeId, projectId, userId, name, description, newStatus, progress, volumeSize,
                volumeTypeId, errorReason, metadata, createdAt, updatedAt, encryptionKeyId, groupSnapshotId);
    }

    public Snapshot withMetadata(Map<String, String> newMetadata) {
        return new Snapshot(id, volumeId, projectId, userId, name, description, status, progress, volumeSize,
                volumeTypeId, errorReason, newMetadata, createdAt, updatedAt, encryptionKeyId, groupSnapshotId);
    }
}
