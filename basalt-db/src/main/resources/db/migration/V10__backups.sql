-- Backups and their metadata (Cinder's backups and backup_metadata), plus Basalt's own progress
-- (percent of the create or restore under way) and stored_bytes (what the backup's data takes in
-- the backup repository). Written to run unchanged on H2, PostgreSQL and MariaDB: no reserved
-- words as names (key, value), explicit NULL on timestamps (MariaDB would otherwise auto-set them).
--
-- A backup outlives its volume, and may be imported before the backup it builds on: volume_id and
-- parent_id reference nothing. How many backups build on one is counted from parent_id when read,
-- never stored, so it cannot drift. A backup claims backups and backup_gigabytes quota with its row
-- (quota_claims, holder_id = the backup's id) until the row is deleted.

CREATE TABLE backups (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id          VARCHAR(255)  NOT NULL,
    user_id             VARCHAR(255)  NULL,
    volume_id           VARCHAR(36)   NOT NULL,
    snapshot_id         VARCHAR(36)   NULL,
    host                VARCHAR(255)  NULL,
    availability_zone   VARCHAR(255)  NULL,
    display_name        VARCHAR(255)  NULL,
    display_description VARCHAR(255)  NULL,
    container           VARCHAR(255)  NULL,
    status              VARCHAR(32)   NOT NULL,
    fail_reason         VARCHAR(1024) NULL,
    service             VARCHAR(255)  NULL,
    service_metadata    VARCHAR(4096) NULL,
    size                INTEGER       NOT NULL,
    object_count        INTEGER       DEFAULT 0 NOT NULL,
    parent_id           VARCHAR(36)   NULL,
    data_timestamp      TIMESTAMP(6)  NULL,
    restore_volume_id   VARCHAR(36)   NULL,
    temp_volume_id      VARCHAR(36)   NULL,
    temp_snapshot_id    VARCHAR(36)   NULL,
    progress            INTEGER       NULL,
    stored_bytes        BIGINT        NULL,
    created_at          TIMESTAMP(6)  NULL,
    updated_at          TIMESTAMP(6)  NULL
);

CREATE INDEX ix_backups_project_created ON backups (project_id, created_at);
CREATE INDEX ix_backups_volume ON backups (volume_id, status);
CREATE INDEX ix_backups_status ON backups (status);
CREATE INDEX ix_backups_parent ON backups (parent_id);
CREATE INDEX ix_backups_host ON backups (host, status);

CREATE TABLE backup_metadata (
    backup_id         VARCHAR(36)  NOT NULL,
    meta_key          VARCHAR(255) NOT NULL,
    meta_value        VARCHAR(255) NULL,
    PRIMARY KEY (backup_id, meta_key),
    CONSTRAINT fk_backup_metadata_backup FOREIGN KEY (backup_id) REFERENCES backups (id) ON DELETE CASCADE
);
