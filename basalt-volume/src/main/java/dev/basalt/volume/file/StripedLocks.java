package dev.basalt.volume.file;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per volume id, from a fixed set shared by hashing: operations on the same volume run one
 * at a time, operations on different volumes (nearly always) in parallel, and no lock is ever made
 * or forgotten per id.
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

    ReentrantLock forKey(String key) {
        return locks[Math.floorMod(key.hashCode(), locks.length)];
    }
}
