package dev.basalt.rpc;

/**
 * Asks the volume service that owns an {@code unmanaging} snapshot to let go of it: its driver keeps
 * the bytes, and the snapshot's row goes (its quota given back).
 */
public record UnmanageSnapshot(String snapshotId, String requestId) {
}
