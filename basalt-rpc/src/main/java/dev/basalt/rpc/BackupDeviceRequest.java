package dev.basalt.rpc;

/**
 * Asks the volume service that owns a volume where its bytes are on that host, for a backup service
 * running there: the volume's, or the snapshot's when {@code snapshotId} is set.
 */
public record BackupDeviceRequest(String volumeId, String snapshotId, String requestId) {
}
