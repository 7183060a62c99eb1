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
 */
final class RbdBlockDevice implements BlockDevice {
    private static final long DISCARD_PIECE = 1L << 30;
    private final RbdImage image;
    private final boolean readOnly;

    RbdBlockDevice(RbdImage image, boolean readOnly) {
        this.image = image;
        this.readOnly = readOnly;
    }

    @Override
    public long size() throws IOException {
        return CephThreads.run(image::size);
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        long size = size();
        if (offset < 0) {
            throw new IOException("negative offset " + offset + " on " + image.spec());
        }
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
        long size = size();
        if (offset < 0 || offset + src.remaining() > size) {
            throw new IOException("write of " + src.remaining() + " bytes at " + offset + " is past the end of "
                    + image.spec() + " (" + size + " bytes)");
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
        long end = Math.min(size(), offset + length);
        CephThreads.run(() -> {
            discard(image, offset, end - offset);
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
