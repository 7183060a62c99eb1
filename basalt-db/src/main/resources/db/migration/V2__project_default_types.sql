-- Per-project default volume types (the default-types API, microversion 3.62). A project's
-- default overrides the configured default_volume_type for volumes created without a type.

CREATE TABLE project_default_types (
    project_id        VARCHAR(255) NOT NULL PRIMARY KEY,
    volume_type_id    VARCHAR(36)  NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    CONSTRAINT fk_project_default_type FOREIGN KEY (volume_type_id) REFERENCES volume_types (id)
);

CREATE INDEX ix_project_default_types_type ON project_default_types (volume_type_id);
