package dev.basalt.nativeio;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A file's extent map from ioctl(2) {@code FS_IOC_FIEMAP}: which logical byte ranges are mapped to
 * which physical addresses of the device, and whether an extent is shared with another file (a
 * reflink copy or snapshot on XFS or btrfs). Ranges the map does not cover are holes.
 */
public final class Fiemap {
    /** {@code _IOWR('f', 11, struct fiemap)}: the struct's header is 32 bytes. */
    private static final long FS_IOC_FIEMAP = 0xC020660BL;
    private static final int FIEMAP_FLAG_SYNC = 0x1;
    private static final int HEADER_BYTES = 32;
    private static final int EXTENT_BYTES = 56;
    private static final int EXTENTS_PER_CALL = 512;

    public static final int FIEMAP_EXTENT_LAST = 0x1;
    public static final int FIEMAP_EXTENT_UNKNOWN = 0x2;
    public static final int FIEMAP_EXTENT_DELALLOC = 0x4;
    public static final int FIEMAP_EXTENT_ENCODED = 0x8;
    public static final int FIEMAP_EXTENT_DATA_ENCRYPTED = 0x80;
    public static final int FIEMAP_EXTENT_NOT_ALIGNED = 0x100;
    public static final int FIEMAP_EXTENT_DATA_INLINE = 0x200;
    public static final int FIEMAP_EXTENT_DATA_TAIL = 0x400;
    public static final int FIEMAP_EXTENT_UNWRITTEN = 0x800;
    public static final int FIEMAP_EXTENT_SHARED = 0x2000;

    /** Flags under which the physical address does not identify the bytes on their own. */
    private static final int PHYSICAL_UNRELIABLE = FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC | FIEMAP_EXTENT_ENCODED
            | FIEMAP_EXTENT_DATA_ENCRYPTED | FIEMAP_EXTENT_NOT_ALIGNED | FIEMAP_EXTENT_DATA_INLINE | FIEMAP_EXTENT_DATA_TAIL;

    /**
     * One mapped extent.
     *
     * @param logical offset in the file
     * @param physical offset on the device
     * @param length bytes
     * @param flags {@code FIEMAP_EXTENT_*}
     */
    public record Extent(long logical, long physical, long length, int flags) {
        public long logicalEnd() {
            return logical + length;
        }

        /** Whether the filesystem says another file (or snapshot) maps the same blocks. */
        public boolean shared() {
            return (flags & FIEMAP_EXTENT_SHARED) != 0;
        }

        /** Preallocated but never written: reads as zeros. */
        public boolean unwritten() {
            return (flags & FIEMAP_EXTENT_UNWRITTEN) != 0;
        }

        /** Whether {@link #physical} names the bytes (not delayed, inline, encoded or unknown). */
        public boolean physicalKnown() {
            return (flags & PHYSICAL_UNRELIABLE) == 0;
        }
    }

    private Fiemap() {
    }

    /**
     * The file's extents in ascending logical order, after flushing its dirty pages (so delayed
     * allocations have addresses); empty when the filesystem (or this platform) has no FIEMAP.
     */
    public static Optional<List<Extent>> extents(Path file) throws IOException {
        if (!Libc.BOUND) {
            return Optional.empty();
        }
        int fd = Libc.open(file, Libc.O_RDONLY);
        try (Memory buffer = new Memory(HEADER_BYTES + (long) EXTENT_BYTES * EXTENTS_PER_CALL)) {
            List<Extent> extents = new ArrayList<>();
            long start = 0;
            while (true) {
                buffer.clear();
                buffer.setLong(0, start); // fm_start
                buffer.setLong(8, Long.MAX_VALUE - start); // fm_length (up to the end, whatever it is)
                buffer.setInt(16, FIEMAP_FLAG_SYNC); // fm_flags
                buffer.setInt(28, 0); // fm_reserved
                buffer.setInt(24, EXTENTS_PER_CALL); // fm_extent_count
                if (!call(fd, buffer, file)) {
                    return Optional.empty();
                }
                int mapped = buffer.getInt(20); // fm_mapped_extents
                if (mapped == 0) {
                    break;
                }
                boolean last = false;
                for (int i = 0; i < mapped; i++) {
                    long at = HEADER_BYTES + (long) i * EXTENT_BYTES;
                    Extent extent = new Extent(buffer.getLong(at), buffer.getLong(at + 8), buffer.getLong(at + 16),
                            buffer.getInt(at + 40));
                    extents.add(extent);
                    last = (extent.flags() & FIEMAP_EXTENT_LAST) != 0;
                }
                Extent tail = extents.getLast();
                if (last || tail.logicalEnd() <= start) {
                    break;
                }
                start = tail.logicalEnd();
            }
            return Optional.of(List.copyOf(extents));
        } finally {
            Libc.close(fd, file);
        }
    }

    /** False when the filesystem has no FIEMAP. */
    private static boolean call(int fd, Memory buffer, Path file) throws IOException {
        while (true) {
            try {
                Libc.ioctl(fd, FS_IOC_FIEMAP, buffer);
                return true;
            } catch (LastErrorException e) {
                switch (e.getErrorCode()) {
                    case Libc.EINTR -> {
                        // try again
                    }
                    case Libc.EOPNOTSUPP, Libc.ENOTTY, Libc.ENOSYS, Libc.EINVAL -> {
                        return false;
                    }
                    default -> throw Libc.failure("ioctl FS_IOC_FIEMAP", file, e);
                }
            }
        }
    }
}
