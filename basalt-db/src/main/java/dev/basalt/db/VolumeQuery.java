package dev.basalt.db;

import java.util.List;
import java.util.Map;

/**
 * A volume list query. Filter keys are API names ({@code name}, {@code status},
 * {@code availability_zone}, {@code bootable}, {@code volume_type_id}, {@code size},
 * {@code user_id}, {@code project_id}, {@code host}, {@code id}, {@code multiattach},
 * {@code attach_status}, {@code snapshot_id}, {@code source_volid}, {@code service_uuid});
 * {@code like} filters match substrings (Cinder's {@code name~} since 3.34); {@code metadata}
 * entries must all be present, as must the {@code imageMetadata} entries among the volume's image
 * metadata (Cinder's {@code glance_metadata} filter); {@code timeFilters} compare {@code created_at}/{@code updated_at}
 * (Cinder 3.60). {@code projectId} null means every project. {@code marker} is the id of the last
 * volume of the previous page; {@code offset} skips that many rows after it.
 */
public record VolumeQuery(
        String projectId,
        Map<String, String> exact,
        Map<String, String> like,
        Map<String, String> metadata,
        List<Sort> sort,
        Integer limit,
        String marker,
        boolean withCount,
        List<TimeFilter> timeFilters,
        Integer offset,
        Map<String, String> imageMetadata) implements ListQuery {

    public VolumeQuery {
        exact = ListQuery.filters(exact);
        like = ListQuery.filters(like);
        metadata = ListQuery.filters(metadata);
        sort = ListQuery.sortOrNewestFirst(sort);
        timeFilters = timeFilters == null ? List.of() : List.copyOf(timeFilters);
        imageMetadata = ListQuery.filters(imageMetadata);
    }

    public VolumeQuery(String projectId, Map<String, String> exact, Map<String, String> like,
                       Map<String, String> metadata, List<Sort> sort, Integer limit, String marker,
                       boolean withCount) {
        this(projectId, exact, like, metadata, sort, limit, marker, withCount, null, null, null);
    }

    public static VolumeQuery allOf(String projectId) {
        return new VolumeQuery(projectId, null, null, null, null, null, null, false);
    }
}
