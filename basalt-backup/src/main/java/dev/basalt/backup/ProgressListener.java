package dev.basalt.backup;

/**
 * Told how far a backup or restore is. Called from worker threads, a few times a second at most
 * and once at the end with {@code done == total}; must be quick and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> {
    };

    /**
     * @param done bytes of the volume processed so far (holes and unchanged chunks count too)
     * @param total the volume's size in bytes
     */
    void progress(long done, long total);
}
