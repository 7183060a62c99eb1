package dev.basalt.api.resources;

import dev.basalt.api.ApiVersion;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.QueryParams;
import dev.basalt.common.BasaltException;
import dev.basalt.db.Sort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code GET /volumes} and {@code GET /snapshots} read alike from a list request: the page and
 * sort ({@link ListParams}), {@code with_count} (from 3.45) and whose items to list
 * ({@code all_tenants}, heeded for administrators only; {@code projectId} null means every
 * project). Every other query parameter is a filter; the static methods are the filter rules the
 * two share, which {@link VolumeFilters} and {@link SnapshotFilters} apply each in its own order.
 */
record ListRequest(ListParams page, boolean withCount, String projectId) {
    private static final Set<String> NOT_FILTERS = Set.of("limit", "marker", "offset", "sort", "sort_key", "sort_dir",
            "with_count", "all_tenants");

    /** A list's database query, null when its filters can match nothing, with the page asked for. */
    record Result<Q>(Q query, ListParams page, boolean withCount) {
    }

    static ListRequest parse(QueryParams params, ApiVersion version, RequestContext context, int maxLimit) {
        ListParams page = ListParams.parse(params, maxLimit);
        boolean withCount = version.atLeast(Microversions.SUPPORT_COUNT_INFO)
                && Booleans.param("with_count", params.get("with_count"), false);
        boolean allTenants = context.isAdmin() && Booleans.param("all_tenants", params.get("all_tenants"), false);
        return new ListRequest(page, withCount, allTenants ? null : context.projectId());
    }

    <Q> Result<Q> result(Q query) {
        return new Result<>(query, page, withCount);
    }

    /** The sort keys, with the API's {@code name} as the {@code display_name} it sorts by. */
    List<Sort> sort() {
        List<Sort> sort = new ArrayList<>();
        for (Sort s : page.sort()) {
            sort.add(new Sort(s.key().equals("name") ? "display_name" : s.key(), s.ascending()));
        }
        return sort;
    }

    /** The query parameters that are filters, in the order given, to be narrowed down by the caller. */
    static Map<String, String> filters(QueryParams params) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : params.lastValues().entrySet()) {
            if (!NOT_FILTERS.contains(e.getKey())) {
                filters.put(e.getKey(), e.getValue());
            }
        }
        return filters;
    }

    /**
     * The filters of a list request at {@code version}, for the snapshot and backup lists: keys
     * must be ASCII (else 400), and {@code key~} substring filters count only from 3.34.
     */
    static Map<String, String> filters(QueryParams params, ApiVersion version) {
        Map<String, String> filters = filters(params);
        requireAsciiKeys(filters);
        if (version.below(Microversions.LIKE_FILTER)) {
            filters.keySet().removeIf(k -> k.endsWith("~"));
        }
        return filters;
    }

    static void requireAsciiKeys(Map<String, String> filters) {
        for (String key : filters.keySet()) {
            if (!key.chars().allMatch(c -> c < 128)) {
                throw BasaltException.badRequest("Filter keys can only contain ASCII characters.");
            }
        }
    }

    /**
     * A non-administrator's filters must be among {@code allowed} (from 3.34 {@code key} also passes
     * when {@code key~} is allowed): from 3.31 any other is a 400, before it is silently dropped.
     */
    static void checkUserFilters(ApiVersion version, RequestContext context, Collection<String> allowed,
                                 Map<String, String> filters) {
        if (context.isAdmin()) {
            return;
        }
        boolean like = version.atLeast(Microversions.LIKE_FILTER);
        List<String> invalid = new ArrayList<>();
        for (String key : filters.keySet()) {
            boolean ok = allowed.contains(key) || (like && allowed.contains(key + "~"));
            if (!ok) {
                invalid.add(key);
            }
        }
        if (invalid.isEmpty()) {
            return;
        }
        if (version.atLeast(Microversions.RESOURCE_FILTER)) {
            throw BasaltException.badRequest("Invalid filters %s are found in query options.",
                    String.join(",", invalid));
        }
        invalid.forEach(filters::remove);
    }

    /**
     * Adds the pairs of a {@code metadata} filter's value, a Python dictionary literal, to
     * {@code metadata}; false when the value is no dictionary (the filter then matches nothing).
     */
    static boolean addMetadata(String value, Map<String, String> metadata) {
        Map<String, String> dict = PythonLiterals.dictOrNull(value);
        if (dict == null) {
            return false;
        }
        metadata.putAll(dict);
        return true;
    }
}
