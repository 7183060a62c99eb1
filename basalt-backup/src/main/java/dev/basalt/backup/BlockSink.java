package dev.basalt.backup;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes a restore writes: a new or existing volume. Implementations must be safe for
 * concurrent calls from several threads on ranges that do not overlap.
 */
public interface BlockSink extends Closeable {

    /** Size in bytes; a restore needs at least the backup's volume size. */
    long size() throws IOException;

    /**
     * Whether every byte of the sink is known to read as zero now (a freshly created sparse
     * volume): the restore then writes nothing for zero or hole chunks, nor for zero blocks inside
     * data chunks, so holes stay holes.
     */
    boolean readsAsZeros();

    /** Writes all of {@code buffer}'s remaining bytes at {@code offset}. */
    void write(long offset, ByteBuffer buffer) throws IOException;

    /** Makes the range read as zeros (punching a hole where the sink can, writing zeros elsewhere). */
    void zero(ByteRange range) throws IOException;

    /** Makes everything written so far durable. */
    void sync() throws IOException;

    @Override
    default void close() throws IOException {
    }
}
