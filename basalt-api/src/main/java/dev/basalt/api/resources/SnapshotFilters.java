package dev.basalt.api.resources;

import dev.basalt.api.ApiVersion;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.QueryParams;
import dev.basalt.db.SnapshotQuery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the query parameters of {@code GET /snapshots[/detail]} into a {@link SnapshotQuery} the
 * way Cinder reads them at the requested microversion:
 * <ul>
 *   <li>before 3.31, a non-administrator's filters other than {@code name}, {@code status},
 *       {@code volume_id} and {@code metadata} are dropped, and {@code metadata} only counts from
 *       3.22; from 3.31 a non-administrator may use the configured snapshot resource filters
 *       ({@code name, status, volume_id, metadata, availability_zone, consumes_quota}) and any
 *       other is a 400 ({@code all_tenants} is silently ignored);</li>
 *   <li>{@code key~=value} substring filters from 3.34;</li>
 *   <li>an administrator may filter by any snapshot field, by its volume's {@code host} and
 *       {@code availability_zone}; a key that names no field matches nothing (Cinder answers an
 *       empty list), and so does a {@code metadata} value that is not a dictionary.</li>
 * </ul>
 */
final class SnapshotFilters {
    /** Filters a non-administrator may use from 3.31 (Cinder's default resource_filters.json). */
    static final List<String> USER_FILTERS = List.of("name", "status", "volume_id", "metadata", "availability_zone",
            "consumes_quota");
    /** Filters a non-administrator may use before 3.31. */
    private static final Set<String> LEGACY_USER_FILTERS = Set.of("status", "volume_id", "name", "metadata");

    /** Filter key → the column the database layer knows it by. */
    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("id", "id"), Map.entry("display_name", "name"), Map.entry("display_description", "description"),
            Map.entry("status", "status"), Map.entry("volume_id", "volume_id"), Map.entry("project_id", "project_id"),
            Map.entry("user_id", "user_id"), Map.entry("progress", "progress"), Map.entry("volume_size", "volume_size"),
            Map.entry("volume_type_id", "volume_type_id"), Map.entry("group_snapshot_id", "group_snapshot_id"));
    /** Cinder snapshot fields Basalt does not store: every Basalt snapshot has no value there. */
    private static final Set<String> NULL_FIELDS = Set.of("cgsnapshot_id", "encryption_key_id",
            "provider_id", "provider_location", "provider_auth", "deleted_at");

    private SnapshotFilters() {
    }

    /** The list query; its query is null when the filters can match no snapshot at all. */
    static ListRequest.Result<SnapshotQuery> parse(QueryParams params, ApiVersion version, RequestContext context,
                                                   int maxLimit) {
        ListRequest request = ListRequest.parse(params, version, context, maxLimit);
        Map<String, String> filters = ListRequest.filters(params, version);
        if (version.below(Microversions.RESOURCE_FILTER)) {
            if (version.below(Microversions.SNAPSHOT_LIST_METADATA_FILTER)) {
                filters.remove("metadata");
            }
            if (version.below(Microversions.USE_QUOTA)) {
                filters.remove("consumes_quota");
                filters.remove("use_quota");
            }
        }
        ListRequest.checkUserFilters(version, context,
                version.atLeast(Microversions.RESOURCE_FILTER) ? USER_FILTERS : LEGACY_USER_FILTERS, filters);

        Map<String, String> exact = new HashMap<>();
        Map<String, String> like = new HashMap<>();
        Map<String, String> metadata = new HashMap<>();
        String zone = null;
        String host = null;
        boolean matchesNothing = false;
        for (Map.Entry<String, String> e : filters.entrySet()) {
            String key = normalise(e.getKey());
            String value = e.getValue();
            if (key.endsWith("~")) {
                String field = normalise(key.substring(0, key.length() - 1));
                if (COLUMNS.containsKey(field)) {
                    like.put(COLUMNS.get(field), value);
                } else {
                    matchesNothing = true;
                }
            } else if (key.equals("metadata")) {
                matchesNothing |= !ListRequest.addMetadata(value, metadata);
            } else if (COLUMNS.containsKey(key)) {
                exact.put(COLUMNS.get(key), value);
            } else if (key.equals("availability_zone")) {
                zone = value;
            } else if (key.equals("host")) {
                host = value;
            } else if (key.equals("consumes_quota") || key.equals("use_quota")) {
                matchesNothing |= !Booleans.param(key, value, true);
            } else if (key.equals("deleted")) {
                matchesNothing |= Booleans.param(key, value, false);
            } else if (NULL_FIELDS.contains(key)) {
                matchesNothing |= !PythonLiterals.isNone(value);
            } else {
                matchesNothing = true;
            }
        }
        if (matchesNothing) {
            return request.result(null);
        }
        return request.result(new SnapshotQuery(request.projectId(), exact, like, metadata, zone, host,
                request.sort(), request.page().limit(), request.page().marker(), request.withCount(),
                request.page().offset()));
    }

    private static String normalise(String key) {
        return switch (key) {
            case "name" -> "display_name";
            case "description" -> "display_description";
            case "size" -> "volume_size";
            default -> key;
        };
    }
}
