package dev.basalt.db;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a list request asks of {@link KeysetListQuery}, whatever it lists: the components
 * {@link VolumeQuery} and {@link SnapshotQuery} have in common.
 */
interface ListQuery {
    /** Only this project's rows; every project's when null. */
    String projectId();

    /** Exact matches; a null value matches rows where the column is NULL (Cinder's filter value None). */
    Map<String, String> exact();

    /** Substring matches. */
    Map<String, String> like();

    /** Metadata entries a row must all have. */
    Map<String, String> metadata();

    List<Sort> sort();

    Integer limit();

    /** The id of the last row of the previous page. */
    String marker();

    boolean withCount();

    /** How many rows to skip after the marker. */
    Integer offset();

    /** A filter map as a query keeps it: an unmodifiable copy (null values kept), empty for null. */
    static Map<String, String> filters(Map<String, String> filters) {
        return filters == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(filters));
    }

    /** Sort keys as a query keeps them: an unmodifiable copy, newest first ({@code created_at} descending) for none. */
    static List<Sort> sortOrNewestFirst(List<Sort> sort) {
        return sort == null || sort.isEmpty() ? List.of(Sort.desc("created_at")) : List.copyOf(sort);
    }

    /** Comparisons of timestamp columns; none unless the resource's query has them. */
    default List<TimeFilter> timeFilters() {
        return List.of();
    }
}
