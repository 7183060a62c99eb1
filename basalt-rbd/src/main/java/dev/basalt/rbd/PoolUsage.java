package dev.basalt.rbd;

/**
 * One pool's line of the cluster's {@code df} (from the manager, through the monitor) and its
 * quota: what Cinder's RBD driver reports capacity from. {@code storedBytes} is the data stored
 * (one copy), {@code usedBytes} the raw space it takes, {@code maxAvailableBytes} what can still be
 * stored given the pool's replication and the fullest OSD, {@code quotaMaxBytes} 0 when the pool
 * has no byte quota.
 */
public record PoolUsage(String pool, long storedBytes, long usedBytes, long maxAvailableBytes, long objects,
        long quotaMaxBytes) {
}
