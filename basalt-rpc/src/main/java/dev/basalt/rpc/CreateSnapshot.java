package dev.basalt.rpc;

/** Asks the volume service that owns the snapshot's volume to take a {@code creating} snapshot. */
public record CreateSnapshot(String snapshotId, String requestId) {
}
