package dev.basalt.api.resources;

import dev.basalt.api.ApiVersion;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.QueryParams;
import dev.basalt.common.BasaltException;
import dev.basalt.db.BackupQuery;
import dev.basalt.db.Sort;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the query parameters of {@code GET /backups[/detail]} into a {@link BackupQuery} the way
 * Cinder reads them at the requested microversion:
 * <ul>
 *   <li>a non-administrator may filter by {@code name}, {@code status} and {@code volume_id}
 *       (Cinder's backup resource filters): other filters are dropped before 3.31 and a 400 from
 *       3.31;</li>
 *   <li>{@code key~=value} substring filters from 3.34;</li>
 *   <li>an administrator may filter by any backup column and by {@code metadata} (a dictionary);
 *       a key that names no column matches nothing (Cinder answers an empty list);</li>
 *   <li>sorting by {@code name} from 3.37 (before, {@code name} is no sort key).</li>
 * </ul>
 */
final class BackupFilters {
    /** Filters every caller may use (Cinder's default resource_filters.json for backups). */
    static final List<String> USER_FILTERS = List.of("name", "status", "volume_id");

    /** Backup columns an administrator may filter by, by their API names. */
    private static final Set<String> COLUMNS = Set.of("id", "project_id", "user_id", "volume_id", "snapshot_id",
            "host", "availability_zone", "name", "description", "container", "status", "service", "size",
            "object_count", "parent_id", "restore_volume_id");

    private BackupFilters() {
    }

    /** The list query; its query is null when the filters can match no backup at all. */
    static ListRequest.Result<BackupQuery> parse(QueryParams params, ApiVersion version, RequestContext context,
                                                 int maxLimit) {
        ListRequest request = ListRequest.parse(params, version, context, maxLimit);
        Map<String, String> filters = ListRequest.filters(params, version);
        ListRequest.checkUserFilters(version, context, USER_FILTERS, filters);

        Map<String, String> exact = new HashMap<>();
        Map<String, String> like = new HashMap<>();
        Map<String, String> metadata = new HashMap<>();
        boolean matchesNothing = false;
        for (Map.Entry<String, String> e : filters.entrySet()) {
            String key = normalise(e.getKey());
            if (key.endsWith("~")) {
                String field = normalise(key.substring(0, key.length() - 1));
                matchesNothing |= !COLUMNS.contains(field);
                like.put(field, e.getValue());
            } else if (key.equals("metadata")) {
                matchesNothing |= !ListRequest.addMetadata(e.getValue(), metadata);
            } else if (COLUMNS.contains(key)) {
                exact.put(key, e.getValue());
            } else {
                matchesNothing = true;
            }
        }
        if (matchesNothing) {
            return request.result(null);
        }
        return request.result(new BackupQuery(request.projectId(), exact, like, metadata, sort(request, version),
                request.page().limit(), request.page().marker(), request.withCount(), request.page().offset()));
    }

    private static List<Sort> sort(ListRequest request, ApiVersion version) {
        if (version.below(Microversions.BACKUP_SORT_NAME)
                && request.page().sort().stream().anyMatch(s -> s.key().equals("name"))) {
            throw BasaltException.badRequest("Invalid input received: Invalid sort key name");
        }
        return request.sort();
    }

    private static String normalise(String key) {
        return switch (key) {
            case "display_name" -> "name";
            case "display_description" -> "description";
            default -> key;
        };
    }
}
