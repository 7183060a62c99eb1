package dev.basalt.backup;

/**
 * A half-open byte range {@code [offset, offset + length)} of a volume.
 *
 * @param offset first byte, {@code >= 0}
 * @param length bytes, {@code >= 0}
 */
public record ByteRange(long offset, long length) {
    public ByteRange {
        if (offset < 0 || length < 0 || offset + length < offset) {
            throw new IllegalArgumentException("invalid byte range: offset " + offset + ", length " + length);
        }
    }

    public static ByteRange between(long start, long end) {
        return new ByteRange(start, end - start);
    }

    public long end() {
        return offset + length;
    }

    public boolean overlaps(long start, long end) {
        return offset < end && start < end();
    }
}
