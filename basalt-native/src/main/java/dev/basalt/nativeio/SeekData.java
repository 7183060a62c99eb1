package dev.basalt.nativeio;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The data ranges of a file from lseek(2) {@code SEEK_DATA} / {@code SEEK_HOLE}, without reading
 * the file: the filesystem answers from its extent map, so the time taken grows with the number of
 * extents, never with the file's size. Everything outside the ranges is a hole (reads as zeros).
 */
public final class SeekData {
    /** From {@link #nextData}: no data at or after the offset. */
    private static final long NO_MORE_DATA = -1;
    /** From {@link #nextData}: the kernel or filesystem does not know SEEK_DATA. */
    private static final long SEEK_DATA_UNKNOWN = -2;

    private SeekData() {
    }

    /**
     * The file's data ranges in ascending order, not overlapping, within {@code [0, size)}; empty
     * when they cannot be known here (libc not bound, SEEK_DATA unsupported): then the caller treats
     * the whole file as data. Filesystems without their own support answer "all data" (the kernel's
     * generic implementation), which is still correct.
     */
    public static Optional<List<DataRange>> dataRanges(Path file) throws IOException {
        if (!Libc.BOUND) {
            return Optional.empty();
        }
        int fd = Libc.open(file, Libc.O_RDONLY);
        try {
            long size = seek(fd, 0, Libc.SEEK_END, file);
            List<DataRange> data = new ArrayList<>();
            long position = 0;
            while (position < size) {
                long start = nextData(fd, position, file);
                if (start == SEEK_DATA_UNKNOWN) {
                    return Optional.empty();
                }
                if (start == NO_MORE_DATA || start >= size) {
                    break;
                }
                long end = Math.min(size, seek(fd, start, Libc.SEEK_HOLE, file));
                if (end <= start) {
                    break; // the file shrank while we looked
                }
                data.add(new DataRange(start, end));
                position = end;
            }
            return Optional.of(List.copyOf(data));
        } finally {
            Libc.close(fd, file);
        }
    }

    private static long nextData(int fd, long position, Path file) throws IOException {
        while (true) {
            try {
                return Libc.lseek(fd, position, Libc.SEEK_DATA);
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
