package dev.basalt.rpc;

/** Asks the volume service of a group's backend to wipe and remove every {@code deleting} member of the group snapshot. */
public record DeleteGroupSnapshot(String groupSnapshotId, String requestId) {
}
