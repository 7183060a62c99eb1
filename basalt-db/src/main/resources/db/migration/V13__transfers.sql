-- Volume transfers (Cinder's transfers table): an offer of a volume to another project, its auth
-- key kept only as a salt and an HMAC-SHA1 hash. Deleted and accepted transfers stay as history
-- (deleted = TRUE; accepted ones with their destination project). No foreign key to volumes:
-- a volume that was transferred may be deleted later while its history stays.

CREATE TABLE transfers (
    id                      VARCHAR(36)  NOT NULL PRIMARY KEY,
    volume_id               VARCHAR(36)  NOT NULL,
    display_name            VARCHAR(255) NULL,
    salt                    VARCHAR(255) NOT NULL,
    crypt_hash              VARCHAR(255) NOT NULL,
    expires_at              TIMESTAMP(6) NULL,
    no_snapshots            BOOLEAN      NOT NULL,
    source_project_id       VARCHAR(255) NULL,
    destination_project_id  VARCHAR(255) NULL,
    accepted                BOOLEAN      NOT NULL,
    created_at              TIMESTAMP(6) NULL,
    updated_at              TIMESTAMP(6) NULL,
    deleted_at              TIMESTAMP(6) NULL,
    deleted                 BOOLEAN      NOT NULL
);

CREATE INDEX ix_transfers_volume ON transfers (volume_id);
CREATE INDEX ix_transfers_deleted_created ON transfers (deleted, created_at);
