package dev.basalt.backup;

import java.io.IOException;

/** The operation conflicts with the backup's state: it already exists, or it is being made right now. */
public class BackupConflictException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String backupId;

    public BackupConflictException(String backupId, String message) {
        super(message);
        this.backupId = backupId;
    }

    public String backupId() {
        return backupId;
    }
}
