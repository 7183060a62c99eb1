package dev.basalt.driver.file;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a file by reading only its data ranges ({@link DataRanges}) and writing only the chunks
 * that are not all zeros: the copy has the same size and bytes, its holes stay holes, and the time
 * taken grows with the data, not with the file's size.
 */
final class SparseCopy {
    private static final int CHUNK = 1 << 20;

    private final DataRanges ranges;

    SparseCopy(DataRanges ranges) {
        this.ranges = requireNonNull(ranges, "ranges");
    }

    /**
     * Copies {@code source} into {@code target}, an existing empty file, which gets the source's
     * size. Does not fsync.
     *
     * @return the bytes written
     */
    long copy(Path source, Path target) throws IOException {
        DataRanges.Layout layout = ranges.of(source);
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK);
        long written = 0;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             RandomAccessFile out = new RandomAccessFile(target.toFile(), "rw")) {
            out.setLength(layout.size());
            FileChannel channel = out.getChannel();
            for (DataRanges.Range range : layout.data()) {
                for (long position = range.start(); position < range.end(); position += CHUNK) {
                    int size = (int) Math.min(CHUNK, range.end() - position);
                    chunk.clear().limit(size);
                    int read = readFully(in, chunk, position);
                    chunk.flip();
                    zeros.clear().limit(read);
                    if (read > 0 && chunk.mismatch(zeros) != -1) {
                        written += writeFully(channel, chunk, position);
                    }
                    if (read < size) {
                        return written; // the source got shorter while we copied
                    }
                }
            }
        }
        return written;
    }

    private static int readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.position();
    }

    private static int writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        int length = buffer.remaining();
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
        return length;
    }
}
