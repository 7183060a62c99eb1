package dev.basalt.db;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;

/**
 * A backup record to import names a backup that exists (and is not {@code deleted}): Cinder's
 * {@code InvalidBackup} "Backup already exists in database.", a 400.
 */
public final class BackupExistsException extends BasaltException {
    private final String backupId;

    public BackupExistsException(String backupId) {
        super(Fault.BAD_REQUEST, "Invalid backup: Backup " + backupId + " already exists in database.");
        this.backupId = backupId;
    }

    public String backupId() {
        return backupId;
    }
}
