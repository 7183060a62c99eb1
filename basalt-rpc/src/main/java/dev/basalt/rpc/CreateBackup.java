package dev.basalt.rpc;

/**
 * Asks the backup service chosen for a {@code creating} backup to copy its volume (or the snapshot
 * it names) into the backup repository; the volume is {@code backing-up} meanwhile.
 */
public record CreateBackup(String backupId, String requestId) {
}
