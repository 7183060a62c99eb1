package dev.basalt.api.service;

import java.util.Map;

/**
 * What a caller asks of a new volume. A blank volume needs {@code size}; a volume made from a
 * snapshot ({@code snapshotId}) or cloned from another volume ({@code sourceVolid}) takes its
 * source's size, type and availability zone unless given; one made from an image ({@code image})
 * needs a size too. Null (or empty, for the ids, type) means
 * not given; {@code metadata} is never null.
 *
 * @param volumeType a type's name or id; the project's default type when not given
 * @param groupId    the generic volume group (3.13) the volume goes in; null or empty for none
 */
public record NewVolume(String name, String description, Integer size, String volumeType, String availabilityZone,
                        Map<String, String> metadata, String snapshotId, String sourceVolid, ImageRef image,
                        String groupId) {
    public NewVolume {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** A blank volume of {@code size} GiB with no metadata. */
    public static NewVolume blank(String name, String description, int size, String volumeType,
                                  String availabilityZone) {
        return new NewVolume(name, description, size, volumeType, availabilityZone, Map.of(), null, null, null, null);
    }
}
