package dev.basalt.driver.file;

import dev.basalt.nativeio.Libc;
import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code FICLONE} ioctl (see ioctl_ficlone(2)): XFS with {@code reflink=1}, btrfs, bcachefs,
 * OCFS2 and NFS 4.2 servers that can clone share the extents; the others say so with
 * {@code EOPNOTSUPP} (ext4, tmpfs), {@code EXDEV} (another filesystem or mount) or {@code EINVAL},
 * and nothing is changed.
 *
 * <p>Chosen over {@code copy_file_range(2)} (which {@code FileChannel.transferTo} uses): that call
 * reflinks where it can but silently falls back to an in-kernel copy that turns holes into written
 * zeros where it cannot, so it can neither tell whether extents are shared nor keep a sparse volume
 * sparse; and it moves at most about 2 GiB per call.
 */
final class LinuxReflink implements Reflink {
    /** {@code _IOW(0x94, 9, int)}; powerpc encodes the direction in other bits. */
    private static final long FICLONE = Platform.isPPC() ? 0x80049409L : 0x40049409L;

    @Override
    public boolean cloneFile(Path source, Path target) throws IOException {
        int from = Libc.open(source, Libc.O_RDONLY);
        try {
            int to = Libc.open(target, Libc.O_WRONLY);
            try {
                return clone(from, to, target);
            } finally {
                Libc.close(to, target);
            }
        } finally {
            Libc.close(from, source);
        }
    }

    private static boolean clone(int from, int to, Path target) throws IOException {
        while (true) {
            try {
                Libc.ioctl(to, FICLONE, from);
                return true;
            } catch (LastErrorException e) {
                switch (e.getErrorCode()) {
                    case Libc.EINTR -> {
                        // interrupted before anything was done: try again
                    }
                    case Libc.EOPNOTSUPP, Libc.EXDEV, Libc.EINVAL, Libc.ENOTTY, Libc.ENOSYS -> {
                        return false;
                    }
                    default -> throw Libc.failure("ioctl FICLONE", target, e);
                }
            }
        }
    }
}
