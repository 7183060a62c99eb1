package dev.basalt.nativeio;

/**
 * A half-open byte range {@code [start, end)} of a file.
 *
 * @param start first byte, {@code >= 0}
 * @param end one past the last byte, {@code >= start}
 */
public record DataRange(long start, long end) {
    public DataRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid range [" + start + ", " + end + ")");
        }
    }

    public long length() {
        return end - start;
    }
}
