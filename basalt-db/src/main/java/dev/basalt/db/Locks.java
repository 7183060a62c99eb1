package dev.basalt.db;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Row locks and the checks made under them, on a caller's transaction. A status read with
 * {@code FOR UPDATE} holds the row until the transaction ends, so a concurrent request that
 * changes the same row waits, and sees what this one did, before making its own checks.
 */
final class Locks {
    private Locks() {
    }

    /** Locks the volume's row and reads its status; empty when there is no such volume. */
    static Optional<String> volumeStatus(Handle h, String volumeId) {
        return h.createQuery("SELECT status FROM volumes WHERE id = :id FOR UPDATE")
                .bind("id", volumeId).mapTo(String.class).findOne();
    }

    /** Locks the snapshot's row and reads its status; empty when there is no such snapshot. */
    static Optional<String> snapshotStatus(Handle h, String snapshotId) {
        return h.createQuery("SELECT status FROM snapshots WHERE id = :id FOR UPDATE")
                .bind("id", snapshotId).mapTo(String.class).findOne();
    }

    /** Locks the backup's row and reads its status; empty when there is no such backup. */
    static Optional<String> backupStatus(Handle h, String backupId) {
        return h.createQuery("SELECT status FROM backups WHERE id = :id FOR UPDATE")
                .bind("id", backupId).mapTo(String.class).findOne();
    }

    /** How many volumes are being created from the snapshot or volume ({@code column} is the source's column). */
    static long volumesCreatingFrom(Handle h, String column, String sourceId) {
        return h.createQuery("SELECT COUNT(*) FROM volumes WHERE " + column + " = :id AND status = 'creating'")
                .bind("id", sourceId).mapTo(Long.class).one();
    }
}
