package dev.basalt.glance;

/**
 * Glance could not be asked, or refused: {@link #status()} is its HTTP status, or 0 when it could
 * not be reached.
 */
public final class GlanceException extends RuntimeException {
    private final int status;

    public GlanceException(int status, String message) {
        super(message);
        this.status = status;
    }

    public GlanceException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** Glance's HTTP status; 0 when Glance did not answer. */
    public int status() {
        return status;
    }

    /** Whether Glance answered that the image does not exist or is not the caller's to see. */
    public boolean notFound() {
        return status == 404 || status == 403;
    }
}
