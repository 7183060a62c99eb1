package dev.basalt.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A source that counts the bytes read from it, and can fail after a number of reads (a backup killed midway). */
public final class CountingSource implements BlockSource {
    private final BlockSource delegate;
    private final long failAfterReads;
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    public CountingSource(BlockSource delegate) {
        this(delegate, Long.MAX_VALUE);
    }

    public CountingSource(BlockSource delegate, long failAfterReads) {
        this.delegate = delegate;
        this.failAfterReads = failAfterReads;
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public List<ByteRange> dataRanges() throws IOException {
        return delegate.dataRanges();
    }

    @Override
    public void read(long offset, ByteBuffer buffer) throws IOException {
        if (reads.incrementAndGet() > failAfterReads) {
            throw new IOException("simulated failure of the source at offset " + offset);
        }
        bytesRead.addAndGet(buffer.remaining());
        delegate.read(offset, buffer);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
