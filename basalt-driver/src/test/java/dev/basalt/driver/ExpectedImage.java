package dev.basalt.driver;

import dev.basalt.testkit.ContentDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a volume should hold: zeros, overwritten by the writes made to it, in order. Gives its
 * bytes at any offset, compares them with what a volume really holds, and gives the digest of all
 * of them, without ever holding the whole image.
 */
public final class ExpectedImage {
    static final int CHUNK = 8 << 20;
    private static final byte[] ZEROS = new byte[CHUNK];

    /** Reads bytes of a volume, a snapshot or a file. */
    @FunctionalInterface
    public interface Reader {
        byte[] read(long offset, int length) throws Exception;
    }

    private record Write(long offset, byte[] bytes) {
    }

    private final long size;
    private final List<Write> writes = new ArrayList<>();

    public ExpectedImage(long size) {
        this.size = size;
    }

    public long size() {
        return size;
    }

    /** Records a write of the bytes at the offset. */
    public ExpectedImage write(long offset, byte[] bytes) {
        if (offset < 0 || offset + bytes.length > size) {
            throw new IllegalArgumentException("write of " + bytes.length + " bytes at " + offset
                    + " is outside an image of " + size + " bytes");
        }
        writes.add(new Write(offset, bytes.clone()));
        return this;
    }

    /** The same bytes in an image of {@code newSize} (at least this size): the new tail is zeros. */
    public ExpectedImage grownTo(long newSize) {
        if (newSize < size) {
            throw new IllegalArgumentException("an image only grows");
        }
        ExpectedImage grown = new ExpectedImage(newSize);
        grown.writes.addAll(writes);
        return grown;
    }

    public byte[] bytes(long offset, int length) {
        byte[] bytes = new byte[length];
        for (Write write : writes) {
            long from = Math.max(offset, write.offset());
            long to = Math.min(offset + length, write.offset() + write.bytes().length);
            if (from < to) {
                System.arraycopy(write.bytes(), (int) (from - write.offset()), bytes, (int) (from - offset),
                        (int) (to - from));
            }
        }
        return bytes;
    }

    /**
     * Reads all {@link #size()} bytes through the reader and returns the offset of the first one that
     * differs from the image, or -1 when every byte is as expected.
     */
    public long firstDifference(Reader reader) throws Exception {
        for (long offset = 0; offset < size; offset += CHUNK) {
            int length = (int) Math.min(CHUNK, size - offset);
            byte[] actual = reader.read(offset, length);
            byte[] expected = touches(offset, length) ? bytes(offset, length) : ZEROS;
            int mismatch = Arrays.mismatch(actual, 0, actual.length, expected, 0, length);
            if (mismatch >= 0) {
                return offset + mismatch;
            }
        }
        return -1;
    }

    /** The {@link ContentDigest} of all {@link #size()} bytes of the image (chunks no write touched are zeros). */
    public String sha256() {
        ContentDigest digest = new ContentDigest();
        for (long offset = 0; offset < size; offset += CHUNK) {
            int length = (int) Math.min(CHUNK, size - offset);
            if (touches(offset, length)) {
                digest.update(offset, bytes(offset, length), 0, length);
            }
        }
        return digest.finish(size);
    }

    /** The {@link ContentDigest} of the first {@code size} bytes the reader gives. */
    public static String sha256(Reader reader, long size) throws Exception {
        ContentDigest digest = new ContentDigest();
        for (long offset = 0; offset < size; offset += CHUNK) {
            int length = (int) Math.min(CHUNK, size - offset);
            byte[] chunk = reader.read(offset, length);
            if (chunk.length != length) {
                throw new IllegalStateException("asked for " + length + " bytes at " + offset + ", got " + chunk.length);
            }
            digest.update(offset, chunk, 0, length);
        }
        return digest.finish(size);
    }

    private boolean touches(long offset, int length) {
        return writes.stream().anyMatch(w -> w.offset() < offset + length && offset < w.offset() + w.bytes().length);
    }
}
