package dev.basalt.rpc;

/** Asks a backup service to remove a {@code deleting} backup from the repository, row included. */
public record DeleteBackup(String backupId, String requestId) {
}
