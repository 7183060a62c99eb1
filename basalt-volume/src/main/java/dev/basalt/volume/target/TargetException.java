package dev.basalt.volume.target;

/** A target could not do what was asked; the message says what to fix. */
public final class TargetException extends RuntimeException {
    public TargetException(String message) {
        super(message);
    }

    public TargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
