package dev.basalt.db;

import java.util.List;
import java.util.Map;

/**
 * A backup list query. Filter keys are API names: what Cinder lets every user filter backups by
 * ({@code name}, {@code status}, {@code volume_id}) and what it lets administrators filter by
 * besides (the backup's other columns: {@code project_id}, {@code user_id}, {@code snapshot_id},
 * {@code host}, {@code availability_zone}, {@code description}, {@code container},
 * {@code service}, {@code size}, {@code object_count}, {@code parent_id},
 * {@code restore_volume_id}, {@code id}); which keys a caller may use is the api's to decide.
 * {@code like} filters match substrings; {@code metadata} entries must all be present.
 * {@code projectId} null means every project (an administrator's {@code all_tenants}).
 * {@code marker} is the id of the last backup of the previous page (a marker not found is a 404, as
 * for volumes and snapshots); {@code offset} skips that many rows after it. Sort keys are the same
 * names, {@code display_name} and {@code display_description} included, newest first by default.
 */
public record BackupQuery(
        String projectId,
        Map<String, String> exact,
        Map<String, String> like,
        Map<String, String> metadata,
        List<Sort> sort,
        Integer limit,
        String marker,
        boolean withCount,
        Integer offset) implements ListQuery {

    public BackupQuery {
        exact = ListQuery.filters(exact);
        like = ListQuery.filters(like);
        metadata = ListQuery.filters(metadata);
        sort = ListQuery.sortOrNewestFirst(sort);
    }

    /** Every backup of the project (every project when null), newest first. */
    public static BackupQuery allOf(String projectId) {
        return new BackupQuery(projectId, null, null, null, null, null, null, false, null);
    }
}
