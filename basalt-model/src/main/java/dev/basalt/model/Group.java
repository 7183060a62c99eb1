package dev.basalt.model;

import java.time.Instant;
import java.util.List;

/**
 * A generic volume group (microversion 3.13): of one group type, holding volumes of its volume
 * types ({@code volumeTypeIds}, in the order given at creation), all on the pool {@code host}
 * ({@code host@backend#pool}; null when no pool could hold it). A group made from a source (3.14)
 * names it: {@code groupSnapshotId} or {@code sourceGroupId} (null otherwise).
 */
public record Group(
        String id,
        String projectId,
        String userId,
        String name,
        String description,
        String availabilityZone,
        String host,
        String groupTypeId,
        List<String> volumeTypeIds,
        GroupStatus status,
        Instant createdAt,
        Instant updatedAt,
        String groupSnapshotId,
        String sourceGroupId) {

    public Group {
        volumeTypeIds = List.copyOf(volumeTypeIds);
    }

    /** A group made from no source. */
    public Group(String id, String projectId, String userId, String name, String description,
                 String availabilityZone, String host, String groupTypeId, List<String> volumeTypeIds,
                 GroupStatus status, Instant createdAt, Instant updatedAt) {
        this(id, projectId, userId, name, description, availabilityZone, host, groupTypeId, volumeTypeIds, status,
                createdAt, updatedAt, null, null);
    }

    /** The backend part of {@code host} ({@code host@backend}), or null when unplaced. */
    public String backend() {
        return host == null ? null : BackendName.backendOf(host);
    }

    public Group withVolumeTypeIds(List<String> ids) {
        return new Group(id, projectId, userId, name, description, availabilityZone, host, groupTypeId, ids, status,
                createdAt, updatedAt, groupSnapshotId, sourceGroupId);
    }
}
