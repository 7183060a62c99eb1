package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BlockSource;
import dev.basalt.backup.ByteRange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BlockSource} that counts what a backup asked of it: the bytes it read, and the bytes of
 * data (outside holes) the source holds, so a backup can say how much of the volume's data it read.
 */
final class ReadCounter implements BlockSource {
    private final BlockSource source;
    private final AtomicLong read = new AtomicLong();
    private volatile long dataBytes;

    ReadCounter(BlockSource source) {
        this.source = requireNonNull(source, "source");
    }

    /** Bytes read so far. */
    long bytesRead() {
        return read.get();
    }

    /** Bytes in the data ranges the source last gave. */
    long dataBytes() {
        return dataBytes;
    }

    @Override
    public long size() throws IOException {
        return source.size();
    }

    @Override
    public List<ByteRange> dataRanges() throws IOException {
        List<ByteRange> ranges = source.dataRanges();
        dataBytes = ranges.stream().mapToLong(ByteRange::length).sum();
        return ranges;
    }

    @Override
    public void read(long offset, ByteBuffer buffer) throws IOException {
        int length = buffer.remaining();
        source.read(offset, buffer);
        read.addAndGet(length);
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
