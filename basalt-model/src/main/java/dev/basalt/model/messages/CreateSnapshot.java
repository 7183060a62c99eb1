package dev.basalt.model.messages;

/** Asks the volume service that owns the snapshot's volume to take a {@code creating} snapshot. */
public record CreateSnapshot(String snapshotId, String requestId) {
}
