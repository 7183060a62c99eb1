package dev.basalt.volume.file;

import dev.basalt.nativeio.Libc;
import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data ranges of a file from lseek(2) {@code SEEK_DATA} / {@code SEEK_HOLE}: the filesystem
 * answers from its extent map, so the time taken grows with the number of extents, never with the
 * file's size. Filesystems without their own support answer "all data" (the kernel's generic
 * implementation), which is still correct.
 */
final class LinuxDataRanges implements DataRanges {
    private static final int SEEK_END = 2;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    /** From {@link #nextData}: no data at or after the offset. */
    private static final long NO_MORE_DATA = -1;
    /** From {@link #nextData}: the kernel is older than SEEK_DATA. */
    private static final long SEEK_DATA_UNKNOWN = -2;

    @Override
    public Layout of(Path file) throws IOException {
        int fd = Libc.open(file, Libc.O_RDONLY);
        try {
            long size = seek(fd, 0, SEEK_END, file);
            List<Range> data = new ArrayList<>();
            long position = 0;
            while (position < size) {
                long start = nextData(fd, position, file);
                if (start == SEEK_DATA_UNKNOWN) {
                    data.add(new Range(position, size));
                    break;
                }
                if (start == NO_MORE_DATA || start >= size) {
                    break;
                }
                long end = Math.min(size, seek(fd, start, SEEK_HOLE, file));
                if (end <= start) {
                    break; // the file shrank while we looked
                }
                data.add(new Range(start, end));
                position = end;
            }
            return new Layout(size, data);
        } finally {
            Libc.close(fd, file);
        }
    }

    private static long nextData(int fd, long position, Path file) throws IOException {
        while (true) {
            try {
                return Libc.lseek(fd, position, SEEK_DATA);
            } catch (LastErrorException e) {
                switch (e.getErrorCode()) {
                    case Libc.EINTR -> {
                        // try again
                    }
                    case Libc.ENXIO -> {
                        return NO_MORE_DATA;
                    }
                    case Libc.EINVAL -> {
                        return SEEK_DATA_UNKNOWN;
                    }
                    default -> throw Libc.failure("lseek SEEK_DATA", file, e);
                }
            }
        }
    }

    private static long seek(int fd, long offset, int whence, Path file) throws IOException {
        while (true) {
            try {
                return Libc.lseek(fd, offset, whence);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Libc.EINTR) {
                    throw Libc.failure("lseek", file, e);
                }
            }
        }
    }
}
