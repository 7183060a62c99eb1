package dev.basalt.iscsi.scsi;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Path;

/**
 * fallocate(2) and lseek(2) from libc through JNA direct mapping, on a descriptor opened once per
 * logical unit. Linux on 64-bit platforms with the generic flag and errno values, where
 * {@code off_t} is 64 bits.
 */
final class LinuxSparseFile implements SparseFile {
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 02;
    private static final int O_CLOEXEC = 02000000;
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int EINTR = 4;
    private static final int ENXIO = 6;
    private static final int EINVAL = 22;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;

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
                return new LinuxSparseFile(path, Libc.open(path.toString(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw failure("open", path, e);
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
                    case EINTR -> {
                        // interrupted before anything was done: try again
                    }
                    case EOPNOTSUPP, ENOSYS -> {
                        punchSupported = false;
                        return false;
                    }
                    default -> throw failure("fallocate", path, e);
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
                    case EINTR -> {
                        // try again
                    }
                    case ENXIO -> {
                        return -1;
                    }
                    case EINVAL -> {
                        seekSupported = false;
                        return whence == SEEK_DATA ? offset : Long.MAX_VALUE;
                    }
                    default -> throw failure("lseek", path, e);
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
            if (e.getErrorCode() != EINTR) {
                throw failure("close", path, e);
            }
        }
    }

    private static IOException failure(String call, Path path, LastErrorException e) {
        return new IOException(call + " " + path + ": " + e.getMessage(), e);
    }

    /** libc, bound on first use; {@link #BOUND} says whether it could be. */
    private static final class Libc {
        static final boolean BOUND = bind();

        private static boolean bind() {
            if (!Platform.isLinux() || !Platform.is64Bit() || Platform.isMIPS() || Platform.isSPARC()) {
                return false;
            }
            try {
                Native.register(Libc.class, Platform.C_LIBRARY_NAME);
                return true;
            } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                return false;
            }
        }

        static native int open(String path, int flags) throws LastErrorException;

        static native int fallocate(int fd, int mode, long offset, long length) throws LastErrorException;

        static native long lseek(int fd, long offset, int whence) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }
}
