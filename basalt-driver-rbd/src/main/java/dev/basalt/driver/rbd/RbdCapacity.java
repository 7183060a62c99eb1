package dev.basalt.driver.rbd;

import dev.basalt.driver.Sizes;
import dev.basalt.rbd.PoolUsage;

/**
 * A pool's free and total capacity in GiB, computed as Cinder's RBD driver does from the pool's line
 * of {@code df} and its quota: with a byte quota the total is the quota and the free space what is
 * left of it (never more than the pool's {@code max_avail}); without one the total is the cluster's
 * raw size and the free space the pool's {@code max_avail}; with {@code report_dynamic_total_capacity}
 * the total is used + free instead. Rounded to two decimals.
 *
 * @param freeGb  free capacity, GiB
 * @param totalGb total capacity, GiB
 */
record RbdCapacity(double freeGb, double totalGb) {

    static RbdCapacity of(PoolUsage usage, long clusterTotalBytes, boolean dynamicTotal) {
        long used = usage.storedBytes();
        double total;
        double free;
        if (usage.quotaMaxBytes() > 0) {
            total = usage.quotaMaxBytes();
            free = Math.max(Math.min(usage.quotaMaxBytes() - used, usage.maxAvailableBytes()), 0);
        } else {
            total = clusterTotalBytes;
            free = usage.maxAvailableBytes();
        }
        if (dynamicTotal) {
            total = free + used;
        }
        return new RbdCapacity(gib(free), gib(total));
    }

    private static double gib(double bytes) {
        return Math.round(bytes / Sizes.GIB * 100.0) / 100.0;
    }
}
