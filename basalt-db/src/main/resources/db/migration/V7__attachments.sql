-- Volume attachments and iSCSI exports.
-- Written to run unchanged on H2, PostgreSQL and MariaDB: no reserved words as names,
-- explicit NULL on timestamps (MariaDB would otherwise auto-set them). Connector and
-- connection info are JSON objects kept as text; two VARCHAR(4096) stay within MariaDB's
-- row size limit with utf8mb4.

CREATE TABLE volume_attachments (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    volume_id         VARCHAR(36)   NOT NULL,
    project_id        VARCHAR(255)  NOT NULL,
    instance_uuid     VARCHAR(36)   NULL,
    attached_host     VARCHAR(255)  NULL,
    mountpoint        VARCHAR(255)  NULL,
    attach_status     VARCHAR(32)   NOT NULL,
    attach_mode       VARCHAR(8)    NOT NULL,
    connector         VARCHAR(4096) NULL,
    connection_info   VARCHAR(4096) NULL,
    attach_time       TIMESTAMP(6)  NULL,
    detach_time       TIMESTAMP(6)  NULL,
    created_at        TIMESTAMP(6)  NULL,
    updated_at        TIMESTAMP(6)  NULL,
    CONSTRAINT fk_attachments_volume FOREIGN KEY (volume_id) REFERENCES volumes (id) ON DELETE CASCADE
);

CREATE INDEX ix_attachments_volume ON volume_attachments (volume_id);
CREATE INDEX ix_attachments_project_created ON volume_attachments (project_id, created_at);
CREATE INDEX ix_attachments_instance ON volume_attachments (instance_uuid);

CREATE TABLE volume_exports (
    volume_id         VARCHAR(36)   NOT NULL PRIMARY KEY,
    host              VARCHAR(255)  NOT NULL,
    target_iqn        VARCHAR(255)  NOT NULL,
    chap_username     VARCHAR(255)  NOT NULL,
    chap_secret       VARCHAR(255)  NOT NULL,
    created_at        TIMESTAMP(6)  NULL,
    CONSTRAINT fk_exports_volume FOREIGN KEY (volume_id) REFERENCES volumes (id) ON DELETE CASCADE
);

CREATE INDEX ix_exports_host ON volume_exports (host);
