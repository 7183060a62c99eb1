package dev.basalt.driver;

/** Byte units as Cinder uses them: a "GB" in the API and in capacity reports is a GiB. */
public final class Sizes {
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    private Sizes() {
    }

    public static long gibToBytes(long gib) {
        return Math.multiplyExact(gib, GIB);
    }

    public static long mibToBytes(long mib) {
        return Math.multiplyExact(mib, MIB);
    }

    /** Bytes as GiB, rounded down to two decimals (as Cinder's drivers report capacity). */
    public static double bytesToGib(long bytes) {
        return Math.floor(bytes * 100.0 / GIB) / 100.0;
    }
}
