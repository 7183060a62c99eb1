package dev.basalt.backup;

import java.util.regex.Pattern;

/** Backup ids name files in a repository: letters, digits, '.', '_' and '-', not starting with '.', at most 128. */
public final class BackupIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private BackupIds() {
    }

    public static String check(String backupId) {
        if (backupId == null || !VALID.matcher(backupId).matches()) {
            throw new IllegalArgumentException("invalid backup id '" + backupId
                    + "': use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.' (a UUID fits)");
        }
        return backupId;
    }
}
