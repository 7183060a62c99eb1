-- The image-volume cache (Cinder's image_volume_cache_entries): per backend (host@backend), a volume
-- of the internal tenant holding an image's data, which later volumes made from the same image on
-- that backend are cloned from. image_updated_at is the image's updated_at when the entry was made
-- (a newer image is not served from it); last_used orders eviction (least recently used first).
-- Ids are UUIDs (Cinder counts them; nothing shows them). Written to run unchanged on H2, PostgreSQL
-- and MariaDB.

CREATE TABLE image_volume_cache_entries (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    host              VARCHAR(255)  NOT NULL,
    cluster_name      VARCHAR(255)  NULL,
    image_id          VARCHAR(36)   NOT NULL,
    image_updated_at  TIMESTAMP(6)  NULL,
    volume_id         VARCHAR(36)   NOT NULL,
    size              INTEGER       NOT NULL,
    last_used         TIMESTAMP(6)  NULL
);

CREATE INDEX ix_image_volume_cache_entries_host_image ON image_volume_cache_entries (host, image_id);
