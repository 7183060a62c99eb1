package dev.basalt.driver.file;

import dev.basalt.nativeio.DataRange;
import dev.basalt.nativeio.SeekData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The data ranges of a file from lseek(2) {@code SEEK_DATA} / {@code SEEK_HOLE} ({@link SeekData}):
 * the filesystem answers from its extent map, so the time taken grows with the number of extents,
 * never with the file's size. Where the kernel does not know SEEK_DATA, the whole file is data.
 */
final class LinuxDataRanges implements DataRanges {

    @Override
    public Layout of(Path file) throws IOException {
        Optional<List<DataRange>> ranges = SeekData.dataRanges(file);
        if (ranges.isEmpty()) {
            return WHOLE_FILE.of(file);
        }
        long size = Files.size(file);
        return new Layout(size, ranges.get().stream().map(r -> new Range(r.start(), Math.min(r.end(), size)))
                .filter(r -> r.length() > 0).toList());
    }
}
