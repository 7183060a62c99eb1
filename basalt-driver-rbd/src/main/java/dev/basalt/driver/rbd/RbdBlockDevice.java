package dev.basalt.driver.rbd;

import dev.basalt.driver.BlockDevice;
import dev.basalt.rbd.CephException;
import dev.basalt.rbd.RbdImage;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An RBD image (or one of its snapshots, read-only) as a {@link BlockDevice}: librbd's positional I/O,
 * safe from many threads at once; direct buffers go to librbd without a copy. Reads and discards are
 * clipped to the image's size; writes past it are refused.
 *
 * <p>Each read and write is one call into librbd: the bounds are checked against the size last read,
 * and the size is asked of librbd again only when an I/O reaches past it (the image may have grown
 * since; images never shrink under Basalt) and at every {@link #size()}.
 */
final class RbdBlockDevice implements BlockDevice {
    private static final long DISCARD_PIECE = 1L << 30;
    private final RbdImage image;
    private final boolean readOnly;
    private volatile long knownSize;

    private RbdBlockDevice(RbdImage image, boolean readOnly, long size) {
        this.image = image;
        this.readOnly = readOnly;
        this.knownSize = size;
    }

    /** The opened image as a block device; it is closed again when its size cannot be read. Runs on a Ceph thread. */
    static RbdBlockDevice of(RbdImage image, boolean readOnly) throws CephException {
        try {
            return new RbdBlockDevice(image, readOnly, image.size());
        } catch (CephException | RuntimeException e) {
            image.close();
            throw e;
        }
    }

    @Override
    public long size() throws IOException {
        long size = CephThreads.run(image::size);
        knownSize = size;
        return size;
    }

    /** The size as last read, or read again when {@code length} bytes at {@code offset} reach past it. */
    private long sizeCovering(long offset, long length) throws IOException {
        long size = knownSize;
        return offset <= size - length ? size : size();
    }

    /** Each read and write is a round trip to the cluster's OSDs: many at once, as librbd allows. */
    @Override
    public boolean concurrentIo() {
        return true;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IOException("negative offset " + offset + " on " + image.spec());
        }
        long size = sizeCovering(offset, dst.remaining());
        if (offset >= size) {
            return dst.hasRemaining() ? -1 : 0;
        }
        int length = (int) Math.min(dst.remaining(), size - offset);
        int limit = dst.limit();
        dst.limit(dst.position() + length);
        try {
            return CephThreads.run(() -> image.read(offset, dst));
        } finally {
            dst.limit(limit);
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        requireWritable();
        if (offset < 0 || offset > sizeCovering(offset, src.remaining()) - src.remaining()) {
            throw new IOException("write of " + src.remaining() + " bytes at " + offset + " is past the end of "
                    + image.spec() + " (" + knownSize + " bytes)");
        }
        CephThreads.run(() -> {
            image.write(offset, src);
            return null;
        });
    }

    @Override
    public void flush() throws IOException {
        requireWritable();
        CephThreads.run(() -> {
            image.flush();
            return null;
        });
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        requireWritable();
        if (offset < 0 || length < 0) {
            throw new IOException("bad range to discard on " + image.spec() + ": " + length + " bytes at " + offset);
        }
        long end = Math.min(sizeCovering(offset, length), offset + length);
        CephThreads.run(() -> {
            // zeroing, not a plain discard: librbd's discard keeps the unaligned edges of a range as they were
            for (long at = offset; at < end; at += DISCARD_PIECE) {
                image.zero(at, Math.min(DISCARD_PIECE, end - at));
            }
            return null;
        });
    }

    /** Discards the range in pieces librbd takes (it refuses more than 2 GiB - 1 at once). */
    static void discard(RbdImage image, long offset, long length) throws CephException {
        long end = offset + length;
        for (long at = offset; at < end; at += DISCARD_PIECE) {
            image.discard(at, Math.min(DISCARD_PIECE, end - at));
        }
    }

    @Override
    public void close() {
        CephThreads.runUnchecked(image::close);
    }

    private void requireWritable() throws IOException {
        if (readOnly) {
            throw new IOException(image.spec() + " is open read-only (a snapshot)");
        }
    }

    @Override
    public String toString() {
        return image.spec();
    }
}
