package dev.basalt.db;

import dev.basalt.model.BackupStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The restores running from backups (table {@code backup_restores}: one claim per volume being
 * written from a backup, with the host of the backup service that writes it), on a caller's
 * transaction. A backup is {@code restoring} while it holds any claim and goes back to
 * {@code available} when its last claim goes, so several volumes can be restored from one backup at
 * once, as Cinder lets them. Every change locks the backup's row first, so a restore that begins and
 * one that ends never miss each other.
 */
final class RestoreClaims {
    /** The backup statuses a restore may begin in: available, or restoring for another volume. */
    private static final Set<String> RESTORABLE = Set.of(BackupStatus.AVAILABLE.apiName(),
            BackupStatus.RESTORING.apiName());

    private RestoreClaims() {
    }

    /**
     * Begins restoring the backup into {@code volumeId} by the backup service of {@code host}: claims
     * the volume for the backup (again, for a volume it already claimed) and makes the backup
     * {@code restoring} into it on that host, progress {@code 0}. False, changing nothing, when the
     * backup is gone or neither {@code available} nor {@code restoring}, or another backup is being
     * restored into the volume.
     */
    static boolean begin(Handle h, String backupId, String volumeId, String host) {
        Optional<String> status = Locks.backupStatus(h, backupId);
        if (status.isEmpty() || !RESTORABLE.contains(status.get())) {
            return false;
        }
        Optional<String> holder = holder(h, volumeId);
        if (holder.isPresent() && !holder.get().equals(backupId)) {
            return false;
        }
        if (holder.isEmpty()) {
            h.createUpdate("INSERT INTO backup_restores (volume_id, backup_id, host, created_at)"
                            + " VALUES (:volume, :backup, :host, :now)")
                    .bind("volume", volumeId).bind("backup", backupId).bind("host", host)
                    .bind("now", Rows.timestamp(Rows.now())).execute();
        }
        h.createUpdate("UPDATE backups SET status = :restoring, restore_volume_id = :volume, host = :host,"
                        + " progress = 0, updated_at = :now WHERE id = :id")
                .bind("restoring", BackupStatus.RESTORING.apiName()).bind("volume", volumeId).bind("host", host)
                .bind("now", Rows.timestamp(Rows.now())).bind("id", backupId).execute();
        return true;
    }

    /**
     * Ends the restore of the backup into {@code volumeId}: removes its claim and, when it was the
     * backup's last, makes a {@code restoring} backup {@code available} (progress {@code 100} when
     * {@code restored}, and {@code reason} as its fail_reason when not null). False when no such
     * restore was running.
     */
    static boolean end(Handle h, String backupId, String volumeId, boolean restored, String reason) {
        Locks.backupStatus(h, backupId);
        boolean ended = h.createUpdate("DELETE FROM backup_restores WHERE volume_id = :volume AND backup_id = :backup")
                .bind("volume", volumeId).bind("backup", backupId).execute() == 1;
        if (!ended) {
            return false;
        }
        if (reason != null) {
            h.createUpdate("UPDATE backups SET fail_reason = :reason WHERE id = :id")
                    .bind("reason", Rows.truncate(reason, 1024)).bind("id", backupId).execute();
        }
        if (running(h, backupId) == 0) {
            h.createUpdate("UPDATE backups SET status = :available" + (restored ? ", progress = 100" : "")
                            + ", updated_at = :now WHERE id = :id AND status = :restoring")
                    .bind("available", BackupStatus.AVAILABLE.apiName()).bind("now", Rows.timestamp(Rows.now()))
                    .bind("id", backupId).bind("restoring", BackupStatus.RESTORING.apiName()).execute();
        }
        return true;
    }

    /** The restore into {@code volumeId} cannot go on (the volume failed or went): ended, keeping why. */
    static void abandonInto(Handle h, String volumeId, String reason) {
        holder(h, volumeId).ifPresent(backupId -> end(h, backupId, volumeId, false, reason));
    }

    /** Whether the backup is being restored into {@code volumeId}. */
    static boolean running(Handle h, String backupId, String volumeId) {
        return h.createQuery("SELECT COUNT(*) FROM backup_restores WHERE volume_id = :volume AND backup_id = :backup")
                .bind("volume", volumeId).bind("backup", backupId).mapTo(Long.class).one() > 0;
    }

    /** The restores the backup service of {@code host} runs, oldest first. */
    static List<BackupRecords.RunningRestore> onHost(Handle h, String host) {
        return h.createQuery("SELECT backup_id, volume_id, host FROM backup_restores WHERE host = :host"
                        + " ORDER BY created_at, volume_id")
                .bind("host", host)
                .map((rs, ctx) -> new BackupRecords.RunningRestore(rs.getString("backup_id"),
                        rs.getString("volume_id"), rs.getString("host")))
                .list();
    }

    /** Forgets every restore of the backup (its row is being removed). */
    static void forget(Handle h, String backupId) {
        h.createUpdate("DELETE FROM backup_restores WHERE backup_id = :backup").bind("backup", backupId).execute();
    }

    private static long running(Handle h, String backupId) {
        return h.createQuery("SELECT COUNT(*) FROM backup_restores WHERE backup_id = :backup")
                .bind("backup", backupId).mapTo(Long.class).one();
    }

    private static Optional<String> holder(Handle h, String volumeId) {
        return h.createQuery("SELECT backup_id FROM backup_restores WHERE volume_id = :volume")
                .bind("volume", volumeId).mapTo(String.class).findOne();
    }
}
