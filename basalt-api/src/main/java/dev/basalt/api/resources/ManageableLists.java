package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.QueryParams;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Cinder's listing of manageable volumes and snapshots ({@code resource_common_manage.py}): exactly
 * one of {@code host} and {@code cluster}; sorted by {@code sort} (or {@code sort_key}/{@code sort_dir})
 * on {@code reference} and {@code size}, default {@code reference:desc}; paged by {@code marker} (a
 * reference as JSON), {@code offset} and {@code limit}.
 */
final class ManageableLists {
    static final String SOURCE_NAME = "source-name";
    private static final Set<String> SORT_KEYS = Set.of("reference", "size");

    private ManageableLists() {
    }

    /** The request, if its microversion has the manageable lists' own resources (3.8); a 400 otherwise, as Cinder's. */
    static ApiRequest requireListVersion(ApiRequest request) {
        if (!request.atLeast(Microversions.MANAGE_EXISTING_LIST)) {
            throw BasaltException.badRequest("API version %s is not supported on this method.", request.version());
        }
        return request;
    }

    /** Where a list of manageable storage looks: a host or (from 3.16) a cluster, exactly one of them. */
    record Location(String host, String cluster) {
    }

    /** The list's {@code host} and {@code cluster} query parameters, checked as Cinder checks them. */
    static Location location(ApiRequest request) {
        QueryParams query = request.query();
        boolean withCluster = request.atLeast(Microversions.MANAGE_EXISTING_CLUSTER);
        String cluster = withCluster ? nonEmpty(query.get("cluster")) : null;
        String host = nonEmpty(query.get("host"));
        requireOneOf(host, cluster, withCluster);
        return new Location(host, cluster);
    }

    /** Null for null or empty text. */
    static String nonEmpty(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /** Cinder's check of host and cluster: exactly one of them (only host before the cluster's version). */
    static void requireOneOf(String host, String cluster, boolean withCluster) {
        if ((host != null) == (cluster != null)) {
            throw BasaltException.badRequest("Invalid input received: %s", withCluster
                    ? "One and only one of cluster and host must be set." : "Host field is missing.");
        }
    }

    /** The page of the {@code entries} (asked once the query is found valid) the query asks for, sorted as it says. */
    static <T> List<T> page(Supplier<List<T>> entries, QueryParams query, int maxLimit, Function<T, String> reference,
                            ToIntFunction<T> size) {
        ListParams page = ListParams.parse(withoutSort(query), maxLimit);
        Comparator<T> order = order(query, reference, size);
        List<T> sorted = new ArrayList<>(entries.get());
        sorted.sort(order);
        int start = 0;
        if (page.marker() != null) {
            String marker = markerReference(page.marker());
            start = -1;
            for (int i = 0; i < sorted.size(); i++) {
                if (reference.apply(sorted.get(i)).equals(marker)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw BasaltException.badRequest("Invalid input received: marker not found: %s", page.marker());
            }
        }
        int from = (int) Math.min((long) start + page.offset(), sorted.size());
        int to = (int) Math.min((long) start + page.offset() + page.limit(), sorted.size());
        return sorted.subList(from, to);
    }

    /** The {@code source-name} a reference gives: the string itself, or the object's member; null otherwise. */
    static String sourceName(JsonNode ref) {
        if (ref == null || ref.isNull()) {
            return null;
        }
        if (ref.isTextual()) {
            return ref.textValue();
        }
        JsonNode name = ref.get(SOURCE_NAME);
        return name != null && name.isTextual() ? name.textValue() : null;
    }

    /** The reference a marker names: Cinder takes it as JSON ({@code {"source-name": "…"}}). */
    private static String markerReference(String marker) {
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(marker);
        } catch (JsonProcessingException e) {
            parsed = null;
        }
        if (parsed == null || !(parsed.isObject() || parsed.isTextual())) {
            throw BasaltException.badRequest("Invalid input received: marker %s can not be analysed, please use json"
                    + " like format", marker);
        }
        String name = sourceName(parsed);
        if (name == null) {
            throw BasaltException.badRequest("Invalid input received: marker not found: %s", marker);
        }
        return name;
    }

    /** Cinder's sort of manageable entries: by {@code sort} (or {@code sort_key}/{@code sort_dir}), default reference, desc. */
    private static <T> Comparator<T> order(QueryParams query, Function<T, String> reference, ToIntFunction<T> size) {
        List<String> keys = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        String sort = query.get("sort");
        if (sort != null) {
            if (query.has("sort_key") || query.has("sort_dir")) {
                throw BasaltException.badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and"
                        + " cannot be used with the 'sort' parameter.");
            }
            for (String part : sort.trim().split(",")) {
                int colon = part.indexOf(':');
                keys.add((colon < 0 ? part : part.substring(0, colon)).trim());
                dirs.add(colon < 0 ? "desc" : part.substring(colon + 1).trim().toLowerCase(Locale.ROOT));
            }
        } else {
            keys.add(query.get("sort_key") == null ? "reference" : query.get("sort_key").trim());
            dirs.add(query.get("sort_dir") == null ? "desc" : query.get("sort_dir").trim().toLowerCase(Locale.ROOT));
        }
        Set<String> badKeys = new LinkedHashSet<>(keys);
        badKeys.removeAll(SORT_KEYS);
        if (!badKeys.isEmpty()) {
            throw BasaltException.badRequest("Invalid sort keys passed: %s", String.join(", ", badKeys));
        }
        Set<String> badDirs = new LinkedHashSet<>(dirs);
        badDirs.removeAll(Set.of("asc", "desc"));
        if (!badDirs.isEmpty()) {
            throw BasaltException.badRequest("Invalid sort dirs passed: %s", String.join(", ", badDirs));
        }
        Comparator<T> order = null;
        for (int i = 0; i < keys.size(); i++) {
            Comparator<T> c = keys.get(i).equals("size") ? Comparator.comparingInt(size)
                    : Comparator.comparing(reference);
            if (dirs.get(i).equals("desc")) {
                c = c.reversed();
            }
            order = order == null ? c : order.thenComparing(c);
        }
        return order;
    }

    /** The query without its sort parameters, which {@link #order} reads with Cinder's manageable rules. */
    private static QueryParams withoutSort(QueryParams query) {
        Map<String, String> rest = new java.util.LinkedHashMap<>(query.lastValues());
        rest.keySet().removeAll(List.of("sort", "sort_key", "sort_dir"));
        return QueryParams.of(rest);
    }
}
