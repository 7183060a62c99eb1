package dev.basalt.backup;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The bytes a backup reads: a volume, a snapshot, or any other fixed-size block device or file.
 * The repository never knows which driver is behind it.
 *
 * <p>Implementations must be safe for concurrent {@link #read} calls from several threads (the
 * repository reads several chunks at once).
 */
public interface BlockSource extends Closeable {

    /** Size in bytes; fixed for the source's lifetime. */
    long size() throws IOException;

    /**
     * The ranges that may hold data, ascending and not overlapping, within {@code [0, size)}; every
     * byte outside them reads as zero and is never read by the repository. Returning the whole
     * source is always correct, only slower.
     */
    List<ByteRange> dataRanges() throws IOException;

    /**
     * Reads {@code buffer.remaining()} bytes starting at {@code offset} into the buffer (filling it
     * entirely). Positional: does not change any shared position.
     *
     * @throws java.io.EOFException when the range is beyond the source's size
     */
    void read(long offset, ByteBuffer buffer) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
