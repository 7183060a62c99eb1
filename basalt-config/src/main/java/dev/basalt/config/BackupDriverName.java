package dev.basalt.config;

import java.util.Locale;

/**
 * Which backup driver a backup service runs ({@code backup_driver}). Written as its short name or
 * as Cinder's class path, so that an operator's cinder.conf carries over.
 */
public enum BackupDriverName {
    /** Backups in a directory of a POSIX filesystem ({@code backup_posix_path}). */
    POSIX("cinder.backup.drivers.posix.PosixBackupDriver");

    private final String cinderClass;

    BackupDriverName(String cinderClass) {
        this.cinderClass = cinderClass;
    }

    /** The driver's class path in Cinder, which is also what Basalt reports as a backup's service. */
    public String cinderClass() {
        return cinderClass;
    }

    /** The short name ({@code posix}). */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The option's type: a short name or Cinder's class path of a driver Basalt has. */
    static OptionType<BackupDriverName> type() {
        return OptionType.of("posix (or cinder.backup.drivers.posix.PosixBackupDriver)", text -> {
            String value = text.strip();
            for (BackupDriverName driver : values()) {
                if (driver.shortName().equals(value) || driver.cinderClass.equals(value)) {
                    return driver;
                }
            }
            throw new IllegalArgumentException("not a backup driver Basalt has: expected posix"
                    + " (or cinder.backup.drivers.posix.PosixBackupDriver)");
        });
    }
}
