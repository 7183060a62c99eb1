package dev.basalt.driver.file;

import java.io.IOException;
import java.nio.file.Path;

/** The parts of fallocate(2) the driver uses; each returns false where the filesystem (or platform) cannot. */
interface Fallocate {

    /**
     * Deallocates the range, keeping the file's size ({@code FALLOC_FL_PUNCH_HOLE |
     * FALLOC_FL_KEEP_SIZE}): the old data is gone, reads of the range return zeros, the space is
     * released.
     *
     * @return false when the filesystem cannot punch holes (nothing was changed)
     */
    boolean punchHole(Path file, long offset, long length) throws IOException;

    /**
     * Allocates space for the first {@code length} bytes, growing the file to that size (mode 0);
     * the range reads as zeros.
     *
     * @return false when the filesystem cannot (nothing was changed)
     */
    boolean allocate(Path file, long length) throws IOException;

    /** For platforms without fallocate(2): callers fall back to writing zeros. */
    Fallocate UNSUPPORTED = new Fallocate() {
        @Override
        public boolean punchHole(Path file, long offset, long length) {
            return false;
        }

        @Override
        public boolean allocate(Path file, long length) {
            return false;
        }
    };

    /** fallocate(2) through libc on Linux, {@link #UNSUPPORTED} elsewhere. */
    static Fallocate system() {
        return LinuxFallocate.isAvailable() ? new LinuxFallocate() : UNSUPPORTED;
    }
}
