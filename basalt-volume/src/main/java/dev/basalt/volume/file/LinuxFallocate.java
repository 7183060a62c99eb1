package dev.basalt.volume.file;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Path;

/**
 * fallocate(2) from libc through JNA direct mapping (bound once, no process spawned, no per-call
 * reflection). Linux on 64-bit platforms with the generic flag and errno values (x86-64, aarch64,
 * ppc64, s390x, riscv64, ...), where {@code off_t} is 64 bits.
 */
final class LinuxFallocate implements Fallocate {
    private static final int O_WRONLY = 01;
    private static final int O_CLOEXEC = 02000000;
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int EINTR = 4;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;

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
        int fd = open(file);
        try {
            while (true) {
                try {
                    Libc.fallocate(fd, mode, offset, length);
                    return true;
                } catch (LastErrorException e) {
                    switch (e.getErrorCode()) {
                        case EINTR -> {
                            // interrupted by a signal before anything was done: try again
                        }
                        case EOPNOTSUPP, ENOSYS -> {
                            return false;
                        }
                        default -> throw failure("fallocate", file, e);
                    }
                }
            }
        } finally {
            close(fd, file);
        }
    }

    private static int open(Path file) throws IOException {
        while (true) {
            try {
                return Libc.open(file.toString(), O_WRONLY | O_CLOEXEC);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw failure("open", file, e);
                }
            }
        }
    }

    private static void close(int fd, Path file) throws IOException {
        try {
            Libc.close(fd);
        } catch (LastErrorException e) {
            // the descriptor is released even when close reports an error; never retry it
            if (e.getErrorCode() != EINTR) {
                throw failure("close", file, e);
            }
        }
    }

    private static IOException failure(String call, Path file, LastErrorException e) {
        return new IOException(call + " " + file + ": " + e.getMessage(), e);
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

        static native int close(int fd) throws LastErrorException;
    }
}
