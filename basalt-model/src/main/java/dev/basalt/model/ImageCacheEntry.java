package dev.basalt.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One entry of the image-volume cache (Cinder's {@code image_volume_cache_entries}): the volume
 * {@code volumeId} of {@code size} GiB on backend {@code host} holds image {@code imageId} as it was
 * at {@code imageUpdatedAt}; {@code lastUsed} orders eviction.
 */
public record ImageCacheEntry(String id, String host, String imageId, Instant imageUpdatedAt, String volumeId,
                              int size, Instant lastUsed) {
    public ImageCacheEntry {
        requireNonNull(id, "id");
        requireNonNull(host, "host");
        requireNonNull(imageId, "imageId");
        requireNonNull(volumeId, "volumeId");
    }
}
