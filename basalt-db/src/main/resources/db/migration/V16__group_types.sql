-- Group types (Cinder's group_types, 3.11): named, optionally private, with key/value group specs
-- (a spec's value may be null, as Cinder's group_specs API allows) and the projects that may use a
-- private one (no API grants access yet; the table keeps the data model Cinder's). As Cinder's
-- initial migration, a public type default_cgsnapshot_type with
-- consistent_group_snapshot_enabled = "<is> True" exists from the start.

CREATE TABLE group_types (
    id                VARCHAR(36)  NOT NULL PRIMARY KEY,
    name              VARCHAR(255) NOT NULL,
    description       VARCHAR(255) NULL,
    is_public         BOOLEAN      NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    CONSTRAINT uq_group_types_name UNIQUE (name)
);

CREATE TABLE group_type_specs (
    group_type_id     VARCHAR(36)  NOT NULL,
    spec_key          VARCHAR(255) NOT NULL,
    spec_value        VARCHAR(255) NULL,
    PRIMARY KEY (group_type_id, spec_key),
    CONSTRAINT fk_group_type_specs_type FOREIGN KEY (group_type_id) REFERENCES group_types (id) ON DELETE CASCADE
);

CREATE TABLE group_type_projects (
    group_type_id     VARCHAR(36)  NOT NULL,
    project_id        VARCHAR(255) NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    PRIMARY KEY (group_type_id, project_id),
    CONSTRAINT fk_group_type_projects_type FOREIGN KEY (group_type_id) REFERENCES group_types (id) ON DELETE CASCADE
);

CREATE INDEX ix_group_type_projects_project ON group_type_projects (project_id);

INSERT INTO group_types (id, name, description, is_public, created_at, updated_at)
VALUES ('6c0e5f9e-9f2b-4b8e-9d55-2a1c7a3b8d10', 'default_cgsnapshot_type', 'Default group type for migrating cgsnapshot',
        TRUE, CURRENT_TIMESTAMP, NULL);

INSERT INTO group_type_specs (group_type_id, spec_key, spec_value)
VALUES ('6c0e5f9e-9f2b-4b8e-9d55-2a1c7a3b8d10', 'consistent_group_snapshot_enabled', '<is> True');
