package dev.basalt.rbd;

/**
 * A byte range of an image that {@code rbd_diff_iterate2} reports as changed: {@code exists} false
 * when the range was discarded (reads as zeros) rather than written.
 */
public record Extent(long offset, long length, boolean exists) {
    public long end() {
        return offset + length;
    }
}
