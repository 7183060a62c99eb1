package dev.basalt.db;

import java.util.List;
import java.util.Map;

/**
 * A snapshot list query. Filter keys are API names ({@code name}, {@code description},
 * {@code status}, {@code volume_id}, {@code project_id}, {@code user_id}, {@code progress},
 * {@code volume_size}, {@code volume_type_id}, {@code id}); {@code like} filters match substrings;
 * {@code metadata} entries must all be present; {@code availabilityZone} and {@code host} filter by
 * the snapshot's volume (a host matches {@code host}, {@code host@backend} and
 * {@code host@backend#pool} below it). {@code projectId} null means every project. {@code marker}
 * is the id of the last snapshot of the previous page; {@code offset} skips that many rows after it.
 */
public record SnapshotQuery(
        String projectId,
        Map<String, String> exact,
        Map<String, String> like,
        Map<String, String> metadata,
        String availabilityZone,
        String host,
        List<Sort> sort,
        Integer limit,
        String marker,
        boolean withCount,
        Integer offset) implements ListQuery {

    public SnapshotQuery {
        exact = ListQuery.filters(exact);
        like = ListQuery.filters(like);
        metadata = ListQuery.filters(metadata);
        sort = ListQuery.sortOrNewestFirst(sort);
    }

    /** Every snapshot of the project (every project when null), newest first. */
    public static SnapshotQuery allOf(String projectId) {
        return new SnapshotQuery(projectId, null, null, null, null, null, null, null, null, false, null);
    }
}
