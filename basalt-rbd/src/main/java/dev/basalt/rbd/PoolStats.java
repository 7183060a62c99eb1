package dev.basalt.rbd;

/**
 * One pool's use as the OSDs count it ({@code rados_ioctx_pool_stat}): bytes stored (all
 * replicas), objects, and the operations served.
 */
public record PoolStats(long bytes, long objects, long objectClones, long objectCopies, long reads, long readBytes,
        long writes, long writtenBytes) {
}
