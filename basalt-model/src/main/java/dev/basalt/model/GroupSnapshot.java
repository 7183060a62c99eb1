package dev.basalt.model;

import java.time.Instant;

/**
 * A group snapshot (microversion 3.14): the snapshots of a group's volumes taken together, one per
 * volume (each a {@link Snapshot} whose {@code groupSnapshotId} is this one's id), of the group's
 * group type at the time.
 */
public record GroupSnapshot(
        String id,
        String groupId,
        String projectId,
        String userId,
        String name,
        String description,
        GroupSnapshotStatus status,
        String groupTypeId,
        Instant createdAt,
        Instant updatedAt) {

    public GroupSnapshot withStatus(GroupSnapshotStatus newStatus) {
        return new GroupSnapshot(id, groupId, projectId, userId, name, description, newStatus, groupTypeId, createdAt,
                updatedAt);
    }
}
