package dev.basalt.driver.file;

import dev.basalt.nativeio.Libc;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Whole-file reflinks: a file made to share all the extents of another, in one step whatever its
 * size. The two files are independent from then on: a write to either (or a hole punched in either)
 * changes only that file; the filesystem copies a shared extent on write and frees it when no file
 * refers to it any more.
 */
interface Reflink {

    /**
     * Makes {@code target} (an existing file, empty, on the same filesystem) hold the same bytes as
     * {@code source} and of the same size, sharing its extents.
     *
     * @return false when the filesystem cannot share extents between the two (nothing was changed);
     *         the caller copies the data instead
     */
    boolean cloneFile(Path source, Path target) throws IOException;

    /** For platforms without FICLONE: callers always copy. */
    Reflink UNSUPPORTED = (source, target) -> false;

    /** FICLONE through libc on Linux, {@link #UNSUPPORTED} elsewhere. */
    static Reflink system() {
        return Libc.BOUND ? new LinuxReflink() : UNSUPPORTED;
    }
}
