package dev.basalt.backup.file;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BlockSource;
import dev.basalt.backup.ByteRange;
import dev.basalt.nativeio.DataRange;
import dev.basalt.nativeio.SeekData;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * A local file (a file volume, a snapshot, a block device) as a backup source. Its data ranges come
 * from lseek {@code SEEK_DATA}/{@code SEEK_HOLE}, so holes are skipped without being read; where
 * that is unknown the whole file counts as data. Reads are positional and thread-safe.
 */
public final class FileBlockSource implements BlockSource {
    private final Path file;
    private final FileChannel channel;
    private final long size;

    private FileBlockSource(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
    }

    /** Opens the file for reading; close the source when done. */
    public static FileBlockSource open(Path file) throws IOException {
        requireNonNull(file, "file");
        return new FileBlockSource(file, FileChannel.open(file, StandardOpenOption.READ));
    }

    public Path file() {
        return file;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public List<ByteRange> dataRanges() throws IOException {
        Optional<List<DataRange>> ranges = SeekData.dataRanges(file);
        if (ranges.isEmpty()) {
            return size == 0 ? List.of() : List.of(new ByteRange(0, size));
        }
        return ranges.get().stream()
                .filter(range -> range.start() < size)
                .map(range -> ByteRange.between(range.start(), Math.min(range.end(), size)))
                .toList();
    }

    @Override
    public void read(long offset, ByteBuffer buffer) throws IOException {
        long position = offset;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new EOFException(file + " ends at " + position + ", before the " + buffer.remaining()
                        + " bytes asked for (it shrank while being backed up?)");
            }
            position += read;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "file " + file;
    }
}
