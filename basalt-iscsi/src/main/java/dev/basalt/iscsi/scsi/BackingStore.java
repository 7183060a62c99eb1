package dev.basalt.iscsi.scsi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a logical unit's blocks live: a raw file ({@link FileBackingStore}), or any block storage an
 * adapter puts behind it (a volume driver's block device). Positional and safe for concurrent use by
 * every session: calls share no cursor. Errors are {@link IOException}s; the target answers them with
 * sense data (medium error) and keeps the connection.
 *
 * <p>Besides reads and writes a store may release space ({@link #deallocate}) and tell where its data
 * is ({@link #nextData}, {@link #nextHole}, for GET LBA STATUS); the defaults describe a store that can
 * do neither, where everything counts as allocated.
 */
public interface BackingStore extends Closeable {

    /** The size in bytes, read again on every call (the capacity follows a store grown while exported). */
    long size() throws IOException;

    /** Fills all of {@code dst} from byte {@code position}; bytes past the end read as zeros. */
    void read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at byte {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    /**
     * Whether each read and write waits on something slow compared with the target's own work (a
     * network round trip to a storage cluster), so that several at once serve a host much faster than
     * one after another. The target then runs a connection's reads and writes on such a store
     * concurrently; on a local file (the default, false) it runs them in order on the connection's thread.
     */
    default boolean concurrentIo() {
        return false;
    }

    /** Makes completed writes durable (FUA, SYNCHRONIZE CACHE). */
    void flush() throws IOException;

    /**
     * Releases a byte range, so that it reads as zeros and its space is given back.
     *
     * @return false when the store cannot (nothing changed; the caller writes zeros instead)
     */
    default boolean deallocate(long position, long length) throws IOException {
        return false;
    }

    /** Whether {@link #nextData} and {@link #nextHole} describe the allocation. */
    default boolean mapsAllocation() {
        return false;
    }

    /** The first offset at or after {@code offset} that holds data, or -1 when there is none before the end. */
    default long nextData(long offset) throws IOException {
        return offset;
    }

    /** The first offset at or after {@code offset} in a hole (the end counts as one). */
    default long nextHole(long offset) throws IOException {
        return Long.MAX_VALUE;
    }

    @Override
    void close() throws IOException;
}
