package dev.basalt.backup;

import java.io.IOException;

/** The repository holds no completed backup with this id. */
public class NoSuchBackupException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String backupId;

    public NoSuchBackupException(String backupId, String where) {
        super("backup " + backupId + " is not in the repository at " + where + " (no manifest)");
        this.backupId = backupId;
    }

    public String backupId() {
        return backupId;
    }
}
