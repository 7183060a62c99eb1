package dev.basalt.rpc;

/**
 * An exported backup record, as Cinder's {@code export_record} returns it: the backup driver that
 * holds the backup and an opaque string carrying everything needed to import it elsewhere.
 */
public record BackupRecord(String backupService, String backupUrl) {
}
