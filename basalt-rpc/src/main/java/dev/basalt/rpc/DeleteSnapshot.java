package dev.basalt.rpc;

/** Asks the volume service that owns the snapshot's volume to wipe and remove a {@code deleting} snapshot. */
public record DeleteSnapshot(String snapshotId, String requestId) {
}
