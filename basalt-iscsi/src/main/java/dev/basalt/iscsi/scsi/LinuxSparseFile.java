package dev.basalt.iscsi.scsi;

import com.sun.jna.LastErrorException;
import dev.basalt.nativeio.Libc;
import java.io.IOException;
import java.nio.file.Path;

/**
 * fallocate(2) and lseek(2) from libc through JNA direct mapping, on a descriptor opened once per
 * logical unit. Linux on 64-bit platforms with the generic flag and errno values, where
 * {@code off_t} is 64 bits.
 */
final class LinuxSparseFile implements SparseFile {
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;

    private final Path path;
    private final int fd;
    private volatile boolean punchSupported = true;
    private volatile boolean seekSupported = true;
    private boolean closed;

    private LinuxSparseFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    static boolean isAvailable() {
        return Libc.BOUND;
    }

    static LinuxSparseFile open(Path path, boolean writable) throws IOException {
        while (true) {
            try {
                return new LinuxSparseFile(path, Libc.open(path.toString(), (writable ? Libc.O_RDWR : Libc.O_RDONLY) | Libc.O_CLOEXEC));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Libc.EINTR) {
                    throw Libc.failure("open", path, e);
                }
            }
        }
    }

    @Override
    public boolean punchHole(long offset, long length) throws IOException {
        if (!punchSupported) {
            return false;
        }
        while (true) {
            try {
                Libc.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
                return true;
            } catch (LastErrorException e) {
                switch (e.getErrorCode()) {
                    case Libc.EINTR -> {
                        // interrupted before anything was done: try again
                    }
                    case Libc.EOPNOTSUPP, Libc.ENOSYS -> {
                        punchSupported = false;
                        return false;
                    }
                    default -> throw Libc.failure("fallocate", path, e);
                }
            }
        }
    }

    @Override
    public long nextData(long offset) throws IOException {
        return seek(offset, SEEK_DATA);
    }

    @Override
    public long nextHole(long offset) throws IOException {
        long hole = seek(offset, SEEK_HOLE);
        return hole < 0 ? Long.MAX_VALUE : hole;
    }

    @Override
    public boolean mapsAllocation() {
        return seekSupported;
    }

    private long seek(long offset, int whence) throws IOException {
        if (!seekSupported) {
            return whence == SEEK_DATA ? offset : Long.MAX_VALUE;
        }
        while (true) {
            try {
                return Libc.lseek(fd, offset, whence);
            } catch (LastErrorException e) {
                switch (e.getErrorCode()) {
                    case Libc.EINTR -> {
                        // try again
                    }
                    case Libc.ENXIO -> {
                        return -1;
                    }
                    case Libc.EINVAL -> {
                        seekSupported = false;
                        return whence == SEEK_DATA ? offset : Long.MAX_VALUE;
                    }
                    default -> throw Libc.failure("lseek", path, e);
                }
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Libc.close(fd);
        } catch (LastErrorException e) {
            // the descriptor is released even when close reports an error; never retry it
            if (e.getErrorCode() != Libc.EINTR) {
                throw Libc.failure("close", path, e);
            }
        }
    }
}
