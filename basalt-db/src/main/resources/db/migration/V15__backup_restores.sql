-- The restores running from each backup (Basalt's own; Cinder keeps only the backup's status): one
-- row per volume being written from a backup, by the backup service of host. A backup is
-- restoring while it has any row, and goes back to available in the transaction that removes its
-- last, so several volumes can be restored from one backup at once (as Cinder lets them) and the
-- first to end does not make the backup available under the others. A backup service that
-- restarts fails the restores of its host. Written to run unchanged on H2, PostgreSQL and MariaDB.

CREATE TABLE backup_restores (
    volume_id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    backup_id         VARCHAR(36)  NOT NULL,
    host              VARCHAR(255) NOT NULL,
    created_at        TIMESTAMP(6) NULL
);

CREATE INDEX ix_backup_restores_backup ON backup_restores (backup_id);
CREATE INDEX ix_backup_restores_host ON backup_restores (host);

-- A restore under way when the schema is upgraded keeps running under its backup's only volume.
INSERT INTO backup_restores (volume_id, backup_id, host, created_at)
    SELECT restore_volume_id, id, host, updated_at FROM backups
    WHERE status = 'restoring' AND restore_volume_id IS NOT NULL AND host IS NOT NULL;
