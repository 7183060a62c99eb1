package dev.basalt.api.service;

import java.util.Map;

/**
 * A request to manage existing storage as a new volume ({@code POST /os-volume-manage}), as the
 * resource parsed it.
 *
 * @param host where the storage is: {@code host@backend} or {@code host@backend#pool}
 * @param cluster the cluster named instead of a host (3.16+), or null
 * @param reference the storage's {@code source-name}; null when the reference names none (the
 *     volume then fails, as Cinder's drivers fail it)
 * @param shownReference the reference as given, for messages
 * @param bootable already parsed
 */
public record NewManagedVolume(String host, String cluster, String reference, String shownReference, String name,
                               String description, String volumeType, String availabilityZone,
                               Map<String, String> metadata, boolean bootable) {
    public NewManagedVolume {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
