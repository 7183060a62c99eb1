-- The image a volume was made from (Cinder's volume_glance_metadata): image_id, image_name,
-- checksum, container_format, disk_format, min_disk, min_ram, size and the image's extra
-- properties, as text, written by the volume service when it fills the volume from the image and
-- shown as the volume's volume_image_metadata. Gone with the volume. Written to run unchanged on
-- H2, PostgreSQL and MariaDB: no reserved words as names (key, value).

CREATE TABLE volume_glance_metadata (
    volume_id         VARCHAR(36)   NOT NULL,
    meta_key          VARCHAR(255)  NOT NULL,
    meta_value        VARCHAR(4096) NULL,
    PRIMARY KEY (volume_id, meta_key),
    CONSTRAINT fk_volume_glance_metadata_volume FOREIGN KEY (volume_id) REFERENCES volumes (id) ON DELETE CASCADE
);
