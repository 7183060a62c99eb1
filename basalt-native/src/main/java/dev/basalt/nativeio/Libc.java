package dev.basalt.nativeio;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The few libc calls Basalt makes (the file driver, the iSCSI target, the backup repository), through JNA direct mapping (bound once, no process
 * spawned, no per-call reflection), and the file-descriptor handling they share. Linux on 64-bit
 * platforms with the generic flag and errno values (x86-64, aarch64, ppc64, s390x, riscv64, ...),
 * where {@code off_t} is 64 bits.
 */
public final class Libc {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_CLOEXEC = 02000000;

    public static final int EINTR = 4;
    public static final int ENXIO = 6;
    public static final int EXDEV = 18;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;

    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    /** Whether libc could be bound: false off 64-bit Linux. */
    public static final boolean BOUND = bind();

    private Libc() {
    }

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

    public static native int open(String path, int flags) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    public static native int fallocate(int fd, int mode, long offset, long length) throws LastErrorException;

    public static native long lseek(int fd, long offset, int whence) throws LastErrorException;

    /** ioctl(2) with an int argument (a file descriptor, for FICLONE). */
    public static native int ioctl(int fd, long request, int argument) throws LastErrorException;

    /** ioctl(2) with a pointer to a structure the kernel reads and fills (FS_IOC_FIEMAP). */
    public static native int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

    /** Opens the file ({@link #O_RDONLY} or {@link #O_WRONLY}; close-on-exec added), retrying when interrupted. */
    public static int open(Path file, int flags) throws IOException {
        while (true) {
            try {
                return open(file.toString(), flags | O_CLOEXEC);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw failure("open", file, e);
                }
            }
        }
    }

    public static void close(int fd, Path file) throws IOException {
        try {
            close(fd);
        } catch (LastErrorException e) {
            // the descriptor is released even when close reports an error; never retry it
            if (e.getErrorCode() != EINTR) {
                throw failure("close", file, e);
            }
        }
    }

    /** The system's reason ({@code [errno] text}) with the call and the file it concerns. */
    public static IOException failure(String call, Path file, LastErrorException e) {
        return new IOException(call + " " + file + ": " + e.getMessage(), e);
    }
}
