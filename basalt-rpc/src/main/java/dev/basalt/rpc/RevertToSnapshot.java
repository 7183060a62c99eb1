package dev.basalt.rpc;

/**
 * Asks the volume service that owns a {@code reverting} volume to make its data its
 * {@code restoring} snapshot's again.
 */
public record RevertToSnapshot(String volumeId, String snapshotId, String requestId) {
}
