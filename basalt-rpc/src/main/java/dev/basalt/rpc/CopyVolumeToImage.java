package dev.basalt.rpc;

import static java.util.Objects.requireNonNull;

/**
 * Asks the volume service that owns an {@code uploading} volume to write its bytes into the queued
 * Glance image the api created ({@code image}: its id, the Image service's endpoint and the caller's
 * token), converted to {@code diskFormat}, then to put the volume back to {@code available} or
 * {@code in-use}.
 *
 * @param diskFormat the image's {@code disk_format} as Glance knows it ({@code raw}, {@code qcow2}, …)
 */
public record CopyVolumeToImage(String volumeId, String requestId, ImageSource image, String diskFormat) {
    public CopyVolumeToImage {
        requireNonNull(volumeId, "volumeId");
        requireNonNull(image, "image");
        requireNonNull(diskFormat, "diskFormat");
    }
}
