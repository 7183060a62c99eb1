package dev.basalt.iscsi.scsi;

import dev.basalt.iscsi.IoLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds back the reads and writes of one logical unit to its {@link IoLimits}: one
 * {@link TokenBucket} per limit set, operations and bytes, total and per direction. A unit
 * without limits has no throttle at all ({@link #of} answers null), so its data path does not
 * change.
 */
public final class IoThrottle {
    private final List<Charge> reads;
    private final List<Charge> writes;

    /** A bucket and whether it counts operations (1 each) or bytes. */
    private record Charge(TokenBucket bucket, boolean perOperation) {
        long tokens(long bytes) {
            return perOperation ? 1 : bytes;
        }
    }

    private IoThrottle(IoLimits limits, long now) {
        TokenBucket totalIops = bucket(limits.totalIops(), now);
        TokenBucket totalBytes = bucket(limits.totalBytes(), now);
        this.reads = charges(totalIops, bucket(limits.readIops(), now), totalBytes, bucket(limits.readBytes(), now));
        this.writes = charges(totalIops, bucket(limits.writeIops(), now), totalBytes, bucket(limits.writeBytes(), now));
    }

    /** The throttle for these limits, or null when there is nothing to limit. */
    public static IoThrottle of(IoLimits limits) {
        return limits.unlimited() ? null : new IoThrottle(limits, System.nanoTime());
    }

    /** Waits until a read ({@code write} false) or write of {@code bytes} may go ahead. */
    void admit(boolean write, long bytes) {
        long now = System.nanoTime();
        long wait = 0;
        for (Charge c : write ? writes : reads) {
            wait = Math.max(wait, c.bucket().take(c.tokens(bytes), now));
        }
        if (wait > 0) {
            TokenBucket.pause(wait);
        }
    }

    private static TokenBucket bucket(long rate, long now) {
        return rate > 0 ? new TokenBucket(rate, now) : null;
    }

    private static List<Charge> charges(TokenBucket totalIops, TokenBucket iops, TokenBucket totalBytes,
                                        TokenBucket bytes) {
        List<Charge> charges = new ArrayList<>();
        if (totalIops != null) {
            charges.add(new Charge(totalIops, true));
        }
        if (iops != null) {
            charges.add(new Charge(iops, true));
        }
        if (totalBytes != null) {
            charges.add(new Charge(totalBytes, false));
        }
        if (bytes != null) {
            charges.add(new Charge(bytes, false));
        }
        return List.copyOf(charges);
    }
}
