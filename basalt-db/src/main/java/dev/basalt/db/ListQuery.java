package dev.basalt.db;

import java.util.List;
import java.util.Map;

/**
 * What a list request asks of {@link KeysetListQuery}, whatever it lists: the components
 * {@link VolumeQuery} and {@link SnapshotQuery} have in common.
 */
interface ListQuery {
    /** Only this project's rows; every project's when null. */
    String projectId();

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

    /** Comparisons of timestamp columns; none unless the resource's query has them. */
    default List<TimeFilter> timeFilters() {
        return List.of();
    }
}
