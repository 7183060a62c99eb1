package dev.basalt.rpc;

/**
 * Asks the volume service that owns the volume's host to create its storage.
 *
 * @param image the image to fill it from; null for any other volume
 */
public record CreateVolume(String volumeId, String requestId, ImageSource image) {
    /** A volume not made from an image. */
    public CreateVolume(String volumeId, String requestId) {
        this(volumeId, requestId, null);
    }
}
