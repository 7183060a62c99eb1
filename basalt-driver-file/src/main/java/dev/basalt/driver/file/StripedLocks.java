package dev.basalt.driver.file;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key (a file name), from a fixed set shared by hashing: operations on the same file
 * run one at a time, operations on different files (nearly always) in parallel, and no lock is ever
 * made or forgotten per key.
 */
final class StripedLocks {
    private final ReentrantLock[] locks;

    StripedLocks(int stripes) {
        if (stripes < 1) {
            throw new IllegalArgumentException("stripes must be >= 1, got " + stripes);
        }
        locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * Takes the locks of all the keys, each stripe once and always in stripe order, so that two
     * callers that lock overlapping keys never wait on each other in a circle. Closing the result
     * releases them.
     */
    Held lock(String... keys) {
        int[] stripes = Arrays.stream(keys).mapToInt(this::stripe).distinct().sorted().toArray();
        for (int stripe : stripes) {
            locks[stripe].lock();
        }
        return () -> {
            for (int i = stripes.length - 1; i >= 0; i--) {
                locks[stripes[i]].unlock();
            }
        };
    }

    /** Whether the current thread holds the lock of the key. */
    boolean isHeld(String key) {
        return locks[stripe(key)].isHeldByCurrentThread();
    }

    private int stripe(String key) {
        return Math.floorMod(key.hashCode(), locks.length);
    }

    /** Locks taken by {@link #lock}; closing releases them. */
    @FunctionalInterface
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
