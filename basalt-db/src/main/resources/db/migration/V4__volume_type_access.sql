-- Which projects may see and use a private volume type (os-volume-type-access).

CREATE TABLE volume_type_projects (
    volume_type_id    VARCHAR(36)  NOT NULL,
    project_id        VARCHAR(255) NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    PRIMARY KEY (volume_type_id, project_id),
    CONSTRAINT fk_volume_type_projects_type FOREIGN KEY (volume_type_id) REFERENCES volume_types (id) ON DELETE CASCADE
);

CREATE INDEX ix_volume_type_projects_project ON volume_type_projects (project_id);
