-- Volume type encryption (Cinder's encryption table): at most one row per volume type, removed with
-- the type. Cinder keeps deleted rows (soft delete); Basalt removes them. A volume made of an
-- encrypted type has the id of its key in the key manager, and its snapshots carry it.

CREATE TABLE encryption (
    encryption_id     VARCHAR(36)  NOT NULL PRIMARY KEY,
    volume_type_id    VARCHAR(36)  NOT NULL,
    provider          VARCHAR(255) NULL,
    cipher            VARCHAR(255) NULL,
    key_size          INTEGER      NULL,
    control_location  VARCHAR(255) NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    CONSTRAINT uq_encryption_volume_type UNIQUE (volume_type_id),
    CONSTRAINT fk_encryption_volume_type FOREIGN KEY (volume_type_id) REFERENCES volume_types (id) ON DELETE CASCADE
);

ALTER TABLE volumes ADD COLUMN encryption_key_id VARCHAR(36) NULL;
ALTER TABLE snapshots ADD COLUMN encryption_key_id VARCHAR(36) NULL;
