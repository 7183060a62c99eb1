package dev.basalt.driver;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A volume's (or a snapshot's) bytes opened for block I/O, whatever the storage: positional reads and
 * writes, flush and discard. A target serves a volume through it; a copy or a backup reads through it.
 *
 * <p>Thread safety: any number of threads may read, write, flush and discard at once (positional
 * calls share no cursor), as on a block device; concurrent writes to overlapping ranges land in an
 * unspecified order. Direct {@link ByteBuffer}s go to the storage without a copy; heap buffers work
 * too. {@link #close()} once nobody uses it; calls after it fail.
 *
 * <p>Errors are {@link IOException}s that name the volume and what failed.
 */
public interface BlockDevice extends AutoCloseable {

    /** The size in bytes. */
    long size() throws IOException;

    /** Whether writes, flushes and discards are refused (a snapshot is opened read-only). */
    boolean readOnly();

    /**
     * Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst}, advancing its position by
     * what was read; returns that, which is less only at the end of the device (-1 at or past it).
     */
    int read(long offset, ByteBuffer dst) throws IOException;

    /**
     * Writes all of {@code src.remaining()} bytes at {@code offset}, advancing its position. A write past
     * the end of the device is refused ({@link IOException}); a block device does not grow.
     */
    void write(long offset, ByteBuffer src) throws IOException;

    /**
     * Whether each I/O waits on a network round trip (a storage cluster), so that several at once go much
     * faster than one after another: whoever serves the device to a host (Basalt's iSCSI target) then runs
     * the host's reads and writes on it concurrently. A local file or disk answers false (the default).
     */
    default boolean concurrentIo() {
        return false;
    }

    /** Makes every write done so far durable. */
    void flush() throws IOException;

    /**
     * Gives back the space of {@code length} bytes at {@code offset}: they read as zeros afterwards
     * (the range is clipped to the device).
     */
    void discard(long offset, long length) throws IOException;

    /** A range of a device: {@code length} bytes from {@code offset}. */
    record Range(long offset, long length) {
    }

    /**
     * The ranges that may hold bytes other than zeros, in ascending order and not overlapping; every
     * byte outside them reads as zeros, so a copy or a checksum may skip them. The default: the whole
     * device (a storage that cannot tell); a sparse file tells its data ranges.
     */
    default java.util.List<Range> dataRanges() throws IOException {
        return java.util.List.of(new Range(0, size()));
    }

    /** Releases the device (what was written stays; call {@link #flush()} first to see a flush's error). */
    @Override
    void close() throws IOException;
}
