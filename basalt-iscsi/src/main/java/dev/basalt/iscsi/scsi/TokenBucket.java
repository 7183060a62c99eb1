package dev.basalt.iscsi.scsi;

import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket refilled at {@code rate} tokens a second, holding at most a tenth of a second's
 * worth (so a burst after a pause stays within 10 % of one second's rate). A taker that finds too
 * few tokens goes into debt and waits until the refill has paid it back: takers are served in
 * the order they come, and a take larger than the bucket (a big transfer) is allowed, just slow.
 */
final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double rate;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    TokenBucket(long rate, long now) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        this.rate = rate;
        this.capacity = Math.max(1.0, rate / 10.0);
        this.tokens = capacity;
        this.refilledAt = now;
    }

    /** Takes {@code n} tokens; returns how long (ns) the caller must wait before going on (0: at once). */
    synchronized long take(long n, long now) {
        tokens = Math.min(capacity, tokens + (now - refilledAt) * rate / NANOS_PER_SECOND);
        refilledAt = now;
        tokens -= n;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / rate);
    }

    /** Parks the calling thread for {@code nanos} (not interruptible: it may be doing file I/O). */
    static void pause(long nanos) {
        long until = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
