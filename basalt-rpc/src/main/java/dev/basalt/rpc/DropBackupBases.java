package dev.basalt.rpc;

import static java.util.Objects.requireNonNull;

/**
 * Tells the volume service that owns a volume to drop backup bases of it: the point-in-time copies
 * kept for backups (see {@link BackupDeviceRequest#keepBase()}) so that an incremental backup can
 * compare extent maps with its parent's. A volume keeps the base of its latest backup only: after
 * a backup that kept a base, every other base of the volume is dropped ({@link Scope#ALL_BUT}); a
 * failed backup's or a deleted backup's own base is dropped ({@link Scope#ONLY}). Dropping a base
 * that does not exist is fine.
 *
 * @param volumeId the volume whose bases these are
 * @param baseId the base (the backup's id) to drop, or to keep with {@link Scope#ALL_BUT}
 */
public record DropBackupBases(String volumeId, String baseId, Scope scope, String requestId) {

    /** Which bases go. */
    public enum Scope {
        /** The base {@code baseId} only. */
        ONLY,
        /** Every base of the volume except {@code baseId}. */
        ALL_BUT
    }

    public DropBackupBases {
        requireNonNull(volumeId, "volumeId");
        requireNonNull(baseId, "baseId");
        requireNonNull(scope, "scope");
    }

    /** Drops the base {@code baseId} of the volume. */
    public static DropBackupBases only(String volumeId, String baseId, String requestId) {
        return new DropBackupBases(volumeId, baseId, Scope.ONLY, requestId);
    }

    /** Drops every base of the volume except {@code baseId}. */
    public static DropBackupBases allBut(String volumeId, String baseId, String requestId) {
        return new DropBackupBases(volumeId, baseId, Scope.ALL_BUT, requestId);
    }
}
