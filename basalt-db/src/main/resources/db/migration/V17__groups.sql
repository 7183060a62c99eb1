-- Generic volume groups (Cinder's groups, 3.13): a group of one group type and one or more volume
-- types, placed on one backend pool (host; null when no pool could hold it); its volumes name it in
-- volumes.group_id. A deleted group keeps its row with status 'deleted' and deleted_at, as
-- Cinder's soft delete, so volumes that were in it still name an existing group.

CREATE TABLE volume_groups (
    id                VARCHAR(36)  NOT NULL PRIMARY KEY,
    project_id        VARCHAR(255) NOT NULL,
    user_id           VARCHAR(255) NULL,
    display_name      VARCHAR(255) NULL,
    display_description VARCHAR(255) NULL,
    availability_zone VARCHAR(255) NULL,
    host              VARCHAR(255) NULL,
    group_type_id     VARCHAR(36)  NOT NULL,
    status            VARCHAR(255) NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    deleted_at        TIMESTAMP(6) NULL
);

CREATE INDEX ix_volume_groups_project ON volume_groups (project_id, created_at);
CREATE INDEX ix_volume_groups_type ON volume_groups (group_type_id);

CREATE TABLE volume_group_types (
    group_id          VARCHAR(36)  NOT NULL,
    volume_type_id    VARCHAR(36)  NOT NULL,
    PRIMARY KEY (group_id, volume_type_id),
    CONSTRAINT fk_volume_group_types_group FOREIGN KEY (group_id) REFERENCES volume_groups (id) ON DELETE CASCADE
);

ALTER TABLE volumes ADD group_id VARCHAR(36) NULL;
CREATE INDEX ix_volumes_group ON volumes (group_id);
