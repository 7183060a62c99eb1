package dev.basalt.api.resources;

import dev.basalt.api.ApiVersion;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.QueryParams;
import dev.basalt.common.BasaltException;
import dev.basalt.db.Sort;
import dev.basalt.db.TimeFilter;
import dev.basalt.db.VolumeQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the query parameters of {@code GET /volumes[/detail]} into a {@link VolumeQuery} the way
 * Cinder reads them at the requested microversion: which filters exist at that version, which a
 * non-administrator may use, how booleans, literals and time comparisons parse, and what a filter
 * on a field Basalt keeps no value for means (every Basalt volume has the same value there, so
 * the filter matches all volumes or none).
 */
final class VolumeFilters {
    /** Filters a non-administrator may use (Cinder's default resource_filters.json). */
    static final List<String> USER_FILTERS = List.of("name", "status", "metadata", "bootable", "migration_status",
            "availability_zone", "group_id", "size", "created_at", "updated_at", "consumes_quota");

    /** Filter key → the column the database layer knows it by. */
    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("display_name", "name"), Map.entry("display_description", "description"),
            Map.entry("status", "status"), Map.entry("size", "size"),
            Map.entry("availability_zone", "availability_zone"), Map.entry("bootable", "bootable"),
            Map.entry("volume_type_id", "volume_type_id"), Map.entry("project_id", "project_id"),
            Map.entry("user_id", "user_id"), Map.entry("host", "host"), Map.entry("id", "id"),
            Map.entry("multiattach", "multiattach"), Map.entry("attach_status", "attach_status"),
            Map.entry("snapshot_id", "snapshot_id"), Map.entry("source_volid", "source_volid"),
            Map.entry("service_uuid", "service_uuid"), Map.entry("group_id", "group_id"),
            Map.entry("migration_status", "migration_status"));
    private static final Set<String> BOOLEAN_COLUMNS = Set.of("bootable", "multiattach");
    private static final Set<String> TEXT_COLUMNS = Set.of("display_name", "display_description", "status",
            "availability_zone", "volume_type_id", "project_id", "user_id", "host", "id", "attach_status",
            "snapshot_id", "source_volid", "service_uuid", "group_id", "migration_status");

    /** Cinder volume fields Basalt does not store, with the value every Basalt volume has. */
    private static final Map<String, Object> CONSTANTS = constants();
    private static final Set<String> BOOLEAN_CONSTANTS = Set.of("shared_targets", "use_quota", "deleted");

    private VolumeFilters() {
    }

    /** The list query; its query is null when the filters can match no volume at all. */
    static ListRequest.Result<VolumeQuery> parse(QueryParams params, ApiVersion version, RequestContext context,
                                                 int maxLimit) {
        ListRequest request = ListRequest.parse(params, version, context, maxLimit);
        Map<String, String> filters = ListRequest.filters(params);
        dropFiltersNewerThan(version, filters);
        ListRequest.requireAsciiKeys(filters);
        ListRequest.checkUserFilters(version, context, USER_FILTERS, filters);
        if (version.atLeast(Microversions.RESOURCE_FILTER)) {
            rename(filters, "name~", "display_name~");
            rename(filters, "description~", "display_description~");
            rename(filters, "consumes_quota", "use_quota");
        }
        rename(filters, "name", "display_name");

        boolean strictBooleans = version.atLeast(Microversions.VOLUME_LIST_BOOTABLE);
        Map<String, String> exact = new HashMap<>();
        Map<String, String> like = new HashMap<>();
        Map<String, String> metadata = new HashMap<>();
        Map<String, String> imageMetadata = new HashMap<>();
        List<TimeFilter> times = new ArrayList<>();
        boolean matchesNothing = false;
        for (Map.Entry<String, String> e : filters.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.endsWith("~")) {
                matchesNothing |= !addLike(key.substring(0, key.length() - 1), value, like);
            } else if (key.equals("metadata")) {
                matchesNothing |= !ListRequest.addMetadata(value, metadata);
            } else if (key.equals("glance_metadata")) {
                Map<String, String> dict = PythonLiterals.dictOrNull(value);
                matchesNothing |= dict == null;
                if (dict != null) {
                    imageMetadata.putAll(dict);
                }
            } else if (key.equals("created_at") || key.equals("updated_at")) {
                times.addAll(timeFilters(key, value));
            } else if (BOOLEAN_COLUMNS.contains(key)) {
                exact.put(COLUMNS.get(key), String.valueOf(booleanFilter(key, value, strictBooleans)));
            } else if (key.equals("display_name")) {
                exact.put(COLUMNS.get(key), value);                  // as given, as Cinder takes a name
            } else if (COLUMNS.containsKey(key)) {
                // a Python literal, as Cinder evaluates it: None matches volumes without a value
                exact.put(COLUMNS.get(key), PythonLiterals.isNone(value) ? null : PythonLiterals.unquote(value));
            } else if (CONSTANTS.containsKey(key) || BOOLEAN_CONSTANTS.contains(key)) {
                matchesNothing |= !matchesConstant(key, value, strictBooleans);
            } else {
                matchesNothing = true;
            }
        }
        List<Sort> sort = new ArrayList<>(request.sort());
        if (sort.stream().noneMatch(s -> s.key().equals("created_at"))) {
            sort.add(new Sort("created_at", sort.get(0).ascending()));
        }
        if (matchesNothing) {
            return request.result(null);
        }
        return request.result(new VolumeQuery(request.projectId(), exact, like, metadata, sort,
                request.page().limit(), request.page().marker(), request.withCount(), times, request.page().offset(),
                imageMetadata));
    }

    private static void dropFiltersNewerThan(ApiVersion version, Map<String, String> filters) {
        if (version.below(Microversions.VOLUME_LIST_GLANCE_METADATA)) {
            filters.remove("glance_metadata");
        }
        if (version.below(Microversions.VOLUME_LIST_GROUP)) {
            filters.remove("group_id");
        }
        if (version.below(Microversions.VOLUME_TIME_COMPARISON_FILTER)) {
            filters.remove("created_at");
            filters.remove("updated_at");
        }
        if (version.below(Microversions.USE_QUOTA)) {
            filters.remove("consumes_quota");
            filters.remove("use_quota");
        }
        if (version.below(Microversions.LIKE_FILTER)) {
            filters.keySet().removeIf(k -> k.endsWith("~"));
        }
    }

    private static boolean addLike(String key, String value, Map<String, String> like) {
        if (TEXT_COLUMNS.contains(key)) {
            like.put(COLUMNS.get(key), value);
            return true;
        }
        if (COLUMNS.containsKey(key)) {
            throw BasaltException.badRequest("Invalid input received: %s~ cannot be used: %s is not a text field.",
                    key, key);
        }
        Object constant = CONSTANTS.get(key);
        return constant instanceof String s && s.contains(value);
    }

    private static boolean booleanFilter(String key, String value, boolean strict) {
        if (strict) {
            Boolean b = Booleans.parseOrNull(value);
            if (b == null) {
                throw BasaltException.badRequest("Invalid input received: '%s = %s'", key, value);
            }
            return b;
        }
        if (value.equals("False") || value.equals("false") || value.equals("FALSE")) {
            return false;
        }
        return !value.isEmpty();
    }

    private static boolean matchesConstant(String key, String value, boolean strict) {
        if (BOOLEAN_CONSTANTS.contains(key)) {
            boolean wanted = booleanFilter(key, value, strict);
            return wanted == !key.equals("deleted");
        }
        Object constant = CONSTANTS.get(key);
        if (constant == null) {
            return PythonLiterals.isNone(value);
        }
        return constant.equals(PythonLiterals.unquote(value));
    }

    private static List<TimeFilter> timeFilters(String key, String value) {
        List<TimeFilter> result = new ArrayList<>();
        for (String unit : value.split(",")) {
            int colon = unit.indexOf(':');
            if (colon < 0) {
                throw BasaltException.badRequest("Invalid %s value", key);
            }
            String op = unit.substring(0, colon);
            TimeFilter.Comparison comparison = TimeFilter.Comparison.fromApiName(op);
            if (comparison == null) {
                throw BasaltException.badRequest("Invalid %s operator", op);
            }
            String time = unit.substring(colon + 1);
            Instant at = Timestamps.parseIsoOrNull(time);
            if (at == null) {
                throw BasaltException.badRequest("Invalid %s value", time);
            }
            result.add(new TimeFilter(key, comparison, at));
        }
        return result;
    }

    private static void rename(Map<String, String> filters, String from, String to) {
        if (filters.containsKey(from)) {
            filters.put(to, filters.remove(from));
        }
    }

    private static Map<String, Object> constants() {
        Map<String, Object> c = new HashMap<>();
        for (String nullField : List.of("consistencygroup_id", "provider_id",
                "provider_location", "provider_auth", "provider_geometry", "cluster_name", "encryption_key_id",
                "replication_extended_status", "replication_driver_data", "previous_status", "scheduled_at",
                "terminated_at", "ec2_id", "deleted_at")) {
            c.put(nullField, null);
        }
        c.put("replication_status", "disabled");
        return java.util.Collections.unmodifiableMap(c);
    }
}
