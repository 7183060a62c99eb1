package dev.basalt.db;

/** How much of one resource a project uses: {@code inUse} by settled resources, {@code reserved} by pending ones. */
public record QuotaUsage(long inUse, long reserved) {
    public static final QuotaUsage NONE = new QuotaUsage(0, 0);

    /** In use and reserved together: what a new reservation must fit beside. */
    public long consumed() {
        return inUse + reserved;
    }
}
