package dev.basalt.driver.file;

import dev.basalt.nativeio.Libc;
import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Path;

/** fallocate(2) from libc (see {@link Libc}). */
final class LinuxFallocate implements Fallocate {
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;

    static boolean isAvailable() {
        return Libc.BOUND;
    }

    @Override
    public boolean punchHole(Path file, long offset, long length) throws IOException {
        return fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
    }

    @Override
    public boolean allocate(Path file, long length) throws IOException {
        return fallocate(file, 0, 0, length);
    }

    private static boolean fallocate(Path file, int mode, long offset, long length) throws IOException {
        int fd = Libc.open(file, Libc.O_WRONLY);
        try {
            while (true) {
                try {
                    Libc.fallocate(fd, mode, offset, length);
                    return true;
                } catch (LastErrorException e) {
                    switch (e.getErrorCode()) {
                        case Libc.EINTR -> {
                            // interrupted by a signal before anything was done: try again
                        }
                        case Libc.EOPNOTSUPP, Libc.ENOSYS -> {
                            return false;
                        }
                        default -> throw Libc.failure("fallocate", file, e);
                    }
                }
            }
        } finally {
            Libc.close(fd, file);
        }
    }
}
