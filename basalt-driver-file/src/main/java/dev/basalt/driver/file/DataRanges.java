package dev.basalt.driver.file;

import dev.basalt.nativeio.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where a file holds data and where it has holes. */
interface DataRanges {

    /**
     * The file's size and the ranges that may hold data, in order; everything outside them is a
     * hole (reads as zeros and takes no space). A range may also cover zeros (unwritten or
     * written-zero blocks): callers that copy check the bytes.
     */
    Layout of(Path file) throws IOException;

    /** Bytes {@code [start, end)} of a file. */
    record Range(long start, long end) {
        public Range {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("not a range: [" + start + ", " + end + ")");
            }
        }

        long length() {
            return end - start;
        }
    }

    /** A file's size and its data ranges. */
    record Layout(long size, List<Range> data) {
        public Layout {
            data = List.copyOf(data);
        }

        long dataBytes() {
            return data.stream().mapToLong(Range::length).sum();
        }
    }

    /** For platforms without SEEK_DATA: the whole file may hold data. */
    DataRanges WHOLE_FILE = file -> {
        long size = Files.size(file);
        return new Layout(size, size == 0 ? List.of() : List.of(new Range(0, size)));
    };

    /** lseek(2) SEEK_DATA/SEEK_HOLE on Linux, {@link #WHOLE_FILE} elsewhere. */
    static DataRanges system() {
        return Libc.BOUND ? new LinuxDataRanges() : WHOLE_FILE;
    }
}
