-- Quotas (Cinder's quotas, quota_classes and quota_usages) and per-resource quota claims.
-- Written to run unchanged on H2, PostgreSQL and MariaDB: no reserved words as names (hence
-- hard_limit), explicit NULL on timestamps.
--
-- resource is Cinder's name (volumes, gigabytes, …) or, for a per-type resource, its kind and
-- the type's id (volumes:<type id>): the API shows it as volumes_<type name>, and renaming a
-- type changes no quota row.

-- A project's own limits; a resource without a row falls back to the default quota class.
CREATE TABLE quotas (
    project_id        VARCHAR(255) NOT NULL,
    resource          VARCHAR(300) NOT NULL,
    hard_limit        INTEGER      NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    PRIMARY KEY (project_id, resource)
);

-- Limits by class; the class named 'default' gives every project's defaults (over the
-- quota_* options of cinder.conf).
CREATE TABLE quota_classes (
    class_name        VARCHAR(255) NOT NULL,
    resource          VARCHAR(300) NOT NULL,
    hard_limit        INTEGER      NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    PRIMARY KEY (class_name, resource)
);

-- What a project uses of each resource: in_use by resources whose operation succeeded,
-- reserved by resources whose operation is still under way. A reservation is a conditional
-- update of this row (in_use + reserved + delta <= limit), so concurrent requests queue on it
-- and can never exceed the limit together. Always the sum of the project's quota_claims.
CREATE TABLE quota_usages (
    project_id        VARCHAR(255) NOT NULL,
    resource          VARCHAR(300) NOT NULL,
    in_use            BIGINT       NOT NULL,
    reserved          BIGINT       NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    PRIMARY KEY (project_id, resource)
);

-- What one holder (a volume) takes of its project's usage, so that settling it is exact and
-- happens once: the reserved part becomes in_use when the holder's operation succeeds, goes
-- back when it fails, and everything goes back when the holder's row is deleted. This folds
-- Cinder's reservations table into per-holder rows.
CREATE TABLE quota_claims (
    holder_id         VARCHAR(36)  NOT NULL,
    resource          VARCHAR(300) NOT NULL,
    project_id        VARCHAR(255) NOT NULL,
    in_use            BIGINT       NOT NULL,
    reserved          BIGINT       NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    PRIMARY KEY (holder_id, resource)
);

CREATE INDEX ix_quota_claims_project ON quota_claims (project_id, resource);

-- Volumes that exist already claim what they hold: creating ones have it reserved, every one
-- but those in error (failed creates) has it in use.
INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at, updated_at)
SELECT id, 'volumes', project_id,
       CASE WHEN status = 'creating' THEN 0 ELSE 1 END,
       CASE WHEN status = 'creating' THEN 1 ELSE 0 END, NULL, NULL
FROM volumes WHERE status <> 'error';

INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at, updated_at)
SELECT id, 'gigabytes', project_id,
       CASE WHEN status = 'creating' THEN 0 ELSE size END,
       CASE WHEN status = 'creating' THEN size ELSE 0 END, NULL, NULL
FROM volumes WHERE status <> 'error';

INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at, updated_at)
SELECT id, CONCAT('volumes:', volume_type_id), project_id,
       CASE WHEN status = 'creating' THEN 0 ELSE 1 END,
       CASE WHEN status = 'creating' THEN 1 ELSE 0 END, NULL, NULL
FROM volumes WHERE status <> 'error' AND volume_type_id IS NOT NULL;

INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at, updated_at)
SELECT id, CONCAT('gigabytes:', volume_type_id), project_id,
       CASE WHEN status = 'creating' THEN 0 ELSE size END,
       CASE WHEN status = 'creating' THEN size ELSE 0 END, NULL, NULL
FROM volumes WHERE status <> 'error' AND volume_type_id IS NOT NULL;

INSERT INTO quota_usages (project_id, resource, in_use, reserved, created_at, updated_at)
SELECT project_id, resource, SUM(in_use), SUM(reserved), NULL, NULL
FROM quota_claims GROUP BY project_id, resource;
