package dev.basalt.volume.image;

/** A volume cannot be filled from its image; the message says why, in words for the image's owner. */
public final class ImageUnacceptableException extends RuntimeException {
    public ImageUnacceptableException(String message) {
        super(message);
    }

    public ImageUnacceptableException(String message, Throwable cause) {
        super(message, cause);
    }
}
