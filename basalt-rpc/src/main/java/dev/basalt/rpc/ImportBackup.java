package dev.basalt.rpc;

/**
 * Asks a backup service to finish importing an exported record into the {@code creating} backup row
 * {@code backupId}: check the record against its repository and make the backup {@code available}.
 */
public record ImportBackup(String backupId, String backupService, String backupUrl, String requestId) {
}
