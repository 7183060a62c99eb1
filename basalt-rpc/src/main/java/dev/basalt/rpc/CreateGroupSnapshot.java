package dev.basalt.rpc;

/**
 * Asks the volume service of a group's backend to take every {@code creating} member of the group
 * snapshot together, then settle them (and with them the group snapshot).
 */
public record CreateGroupSnapshot(String groupSnapshotId, String requestId) {
}
