-- Written to run unchanged on H2, PostgreSQL and MariaDB: no reserved words as names
-- (key, value, binary), explicit NULL on timestamps (MariaDB would otherwise auto-set them).

CREATE TABLE volume_types (
    id                VARCHAR(36)  NOT NULL PRIMARY KEY,
    name              VARCHAR(255) NOT NULL,
    description       VARCHAR(255) NULL,
    is_public         BOOLEAN      NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    CONSTRAINT uq_volume_types_name UNIQUE (name)
);

CREATE TABLE volume_type_extra_specs (
    volume_type_id    VARCHAR(36)  NOT NULL,
    spec_key          VARCHAR(255) NOT NULL,
    spec_value        VARCHAR(255) NULL,
    PRIMARY KEY (volume_type_id, spec_key),
    CONSTRAINT fk_extra_specs_type FOREIGN KEY (volume_type_id) REFERENCES volume_types (id) ON DELETE CASCADE
);

CREATE TABLE volumes (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id        VARCHAR(255)  NOT NULL,
    user_id           VARCHAR(255)  NULL,
    display_name      VARCHAR(255)  NULL,
    display_description VARCHAR(255) NULL,
    size              INTEGER       NOT NULL,
    status            VARCHAR(32)   NOT NULL,
    attach_status     VARCHAR(32)   NOT NULL,
    availability_zone VARCHAR(255)  NULL,
    host              VARCHAR(255)  NULL,
    volume_type_id    VARCHAR(36)   NULL,
    bootable          BOOLEAN       NOT NULL,
    multiattach       BOOLEAN       NOT NULL,
    snapshot_id       VARCHAR(36)   NULL,
    source_volid      VARCHAR(36)   NULL,
    service_uuid      VARCHAR(36)   NULL,
    error_reason      VARCHAR(1024) NULL,
    created_at        TIMESTAMP(6)  NULL,
    updated_at        TIMESTAMP(6)  NULL,
    launched_at       TIMESTAMP(6)  NULL
);

CREATE INDEX ix_volumes_project_created ON volumes (project_id, created_at);
CREATE INDEX ix_volumes_status ON volumes (status);
CREATE INDEX ix_volumes_host ON volumes (host);
CREATE INDEX ix_volumes_type ON volumes (volume_type_id);

CREATE TABLE volume_metadata (
    volume_id         VARCHAR(36)  NOT NULL,
    meta_key          VARCHAR(255) NOT NULL,
    meta_value        VARCHAR(255) NULL,
    PRIMARY KEY (volume_id, meta_key),
    CONSTRAINT fk_volume_metadata_volume FOREIGN KEY (volume_id) REFERENCES volumes (id) ON DELETE CASCADE
);

CREATE TABLE services (
    uuid              VARCHAR(36)  NOT NULL PRIMARY KEY,
    host              VARCHAR(255) NOT NULL,
    binary_name       VARCHAR(255) NOT NULL,
    topic             VARCHAR(255) NOT NULL,
    availability_zone VARCHAR(255) NULL,
    disabled          BOOLEAN      NOT NULL,
    disabled_reason   VARCHAR(255) NULL,
    report_count      BIGINT       NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    CONSTRAINT uq_services_host_binary UNIQUE (host, binary_name)
);

CREATE TABLE messages (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    project_id        VARCHAR(255)  NOT NULL,
    request_id        VARCHAR(255)  NULL,
    resource_type     VARCHAR(255)  NULL,
    resource_uuid     VARCHAR(36)   NULL,
    event_id          VARCHAR(255)  NOT NULL,
    message_level     VARCHAR(255)  NOT NULL,
    action_id         VARCHAR(10)   NULL,
    detail_id         VARCHAR(10)   NULL,
    detail            VARCHAR(1024) NULL,
    created_at        TIMESTAMP(6)  NULL,
    expires_at        TIMESTAMP(6)  NULL
);

CREATE INDEX ix_messages_project ON messages (project_id, created_at);
