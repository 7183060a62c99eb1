-- Snapshots and their metadata, and volume admin metadata (readonly, extend_new_size).
-- Written to run unchanged on H2, PostgreSQL and MariaDB: no reserved words as names
-- (key, value), explicit NULL on timestamps (MariaDB would otherwise auto-set them).
-- A snapshot lives where its volume lives: its host is the volume's host. A volume with
-- snapshots cannot be removed (fk_snapshots_volume), so the volume row is always there.

CREATE TABLE snapshots (
    id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
    volume_id           VARCHAR(36)   NOT NULL,
    project_id          VARCHAR(255)  NOT NULL,
    user_id             VARCHAR(255)  NULL,
    display_name        VARCHAR(255)  NULL,
    display_description VARCHAR(255)  NULL,
    status              VARCHAR(32)   NOT NULL,
    progress            VARCHAR(255)  NULL,
    volume_size         INTEGER       NOT NULL,
    volume_type_id      VARCHAR(36)   NULL,
    error_reason        VARCHAR(1024) NULL,
    created_at          TIMESTAMP(6)  NULL,
    updated_at          TIMESTAMP(6)  NULL,
    CONSTRAINT fk_snapshots_volume FOREIGN KEY (volume_id) REFERENCES volumes (id)
);

CREATE INDEX ix_snapshots_project_created ON snapshots (project_id, created_at);
CREATE INDEX ix_snapshots_volume ON snapshots (volume_id);
CREATE INDEX ix_snapshots_status ON snapshots (status);

CREATE TABLE snapshot_metadata (
    snapshot_id       VARCHAR(36)  NOT NULL,
    meta_key          VARCHAR(255) NOT NULL,
    meta_value        VARCHAR(255) NULL,
    PRIMARY KEY (snapshot_id, meta_key),
    CONSTRAINT fk_snapshot_metadata_snapshot FOREIGN KEY (snapshot_id) REFERENCES snapshots (id) ON DELETE CASCADE
);

CREATE TABLE volume_admin_metadata (
    volume_id         VARCHAR(36)  NOT NULL,
    meta_key          VARCHAR(255) NOT NULL,
    meta_value        VARCHAR(255) NULL,
    PRIMARY KEY (volume_id, meta_key),
    CONSTRAINT fk_volume_admin_metadata_volume FOREIGN KEY (volume_id) REFERENCES volumes (id) ON DELETE CASCADE
);

CREATE INDEX ix_volumes_snapshot ON volumes (snapshot_id);
CREATE INDEX ix_volumes_source ON volumes (source_volid);
