package dev.basalt.rbd;

/** The whole cluster's raw capacity and use ({@code rados_cluster_stat}), in bytes. */
public record ClusterStats(long totalBytes, long usedBytes, long availableBytes, long objects) {
}
