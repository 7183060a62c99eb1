package dev.basalt.rpc;

/**
 * Asks a backup service to write a {@code restoring} backup into the {@code restoring-backup} volume
 * {@code volumeId}. {@code freshVolume}: the volume was made blank for this restore (it reads as zeros,
 * so zero chunks need not be written and holes stay holes).
 */
public record RestoreBackup(String backupId, String volumeId, boolean freshVolume, String requestId) {
}
