package dev.basalt.iscsi;

/**
 * Rate limits of one logical unit's data path: operations and bytes per second, in total and per
 * direction (reads, writes). 0 means no limit. A READ counts against the total and read limits, a
 * WRITE against the total and write limits.
 */
public record IoLimits(long totalIops, long readIops, long writeIops, long totalBytes, long readBytes,
                       long writeBytes) {
    /** No limit at all. */
    public static final IoLimits NONE = new IoLimits(0, 0, 0, 0, 0, 0);

    public IoLimits {
        for (long limit : new long[] {totalIops, readIops, writeIops, totalBytes, readBytes, writeBytes}) {
            if (limit < 0) {
                throw new IllegalArgumentException("a rate limit is 0 (none) or positive: " + limit);
            }
        }
    }

    /** Whether no limit is set. */
    public boolean unlimited() {
        return equals(NONE);
    }
}
