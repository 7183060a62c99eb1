-- Group snapshots (Cinder's group_snapshots, 3.14): a set of snapshots of a group's volumes taken
-- together, one per volume, each an ordinary row of snapshots naming it in group_snapshot_id. A group
-- snapshot has no row of its own in workers: its status settles with its members' (see
-- GroupSnapshotRepository), whose rows are kept as any snapshot's. A group made from a group snapshot
-- or from another group names its source (group_snapshot_id, source_group_id), as Cinder's groups do.
-- Written to run unchanged on H2, PostgreSQL and MariaDB.

CREATE TABLE group_snapshots (
    id                  VARCHAR(36)  NOT NULL PRIMARY KEY,
    group_id            VARCHAR(36)  NOT NULL,
    project_id          VARCHAR(255) NOT NULL,
    user_id             VARCHAR(255) NULL,
    display_name        VARCHAR(255) NULL,
    display_description VARCHAR(255) NULL,
    status              VARCHAR(255) NOT NULL,
    group_type_id       VARCHAR(36)  NOT NULL,
    created_at          TIMESTAMP(6) NULL,
    updated_at          TIMESTAMP(6) NULL,
    CONSTRAINT fk_group_snapshots_group FOREIGN KEY (group_id) REFERENCES volume_groups (id)
);

CREATE INDEX ix_group_snapshots_project ON group_snapshots (project_id, created_at);
CREATE INDEX ix_group_snapshots_group ON group_snapshots (group_id);

ALTER TABLE snapshots ADD COLUMN group_snapshot_id VARCHAR(36) NULL;
CREATE INDEX ix_snapshots_group_snapshot ON snapshots (group_snapshot_id);
ALTER TABLE snapshots ADD CONSTRAINT fk_snapshots_group_snapshot FOREIGN KEY (group_snapshot_id)
    REFERENCES group_snapshots (id);

ALTER TABLE volume_groups ADD COLUMN group_snapshot_id VARCHAR(36) NULL;
ALTER TABLE volume_groups ADD COLUMN source_group_id VARCHAR(36) NULL;
