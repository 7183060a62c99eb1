-- Snapshots claim quota from now on (snapshots, gigabytes and the type's snapshots:<id> and
-- gigabytes:<id>), as volumes do since V3. Snapshots that exist already claim what they hold:
-- creating ones have it reserved, every one but those in error has it in use. Then every
-- project's usage is summed again from the claims, which it must always equal.

INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at, updated_at)
SELECT id, 'snapshots', project_id,
       CASE WHEN status = 'creating' THEN 0 ELSE 1 END,
       CASE WHEN status = 'creating' THEN 1 ELSE 0 END, NULL, NULL
FROM snapshots WHERE status <> 'error';

INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at, updated_at)
SELECT id, 'gigabytes', project_id,
       CASE WHEN status = 'creating' THEN 0 ELSE volume_size END,
       CASE WHEN status = 'creating' THEN volume_size ELSE 0 END, NULL, NULL
FROM snapshots WHERE status <> 'error' AND volume_size > 0;

INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at, updated_at)
SELECT id, CONCAT('snapshots:', volume_type_id), project_id,
       CASE WHEN status = 'creating' THEN 0 ELSE 1 END,
       CASE WHEN status = 'creating' THEN 1 ELSE 0 END, NULL, NULL
FROM snapshots WHERE status <> 'error' AND volume_type_id IS NOT NULL;

INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved, created_at, updated_at)
SELECT id, CONCAT('gigabytes:', volume_type_id), project_id,
       CASE WHEN status = 'creating' THEN 0 ELSE volume_size END,
       CASE WHEN status = 'creating' THEN volume_size ELSE 0 END, NULL, NULL
FROM snapshots WHERE status <> 'error' AND volume_type_id IS NOT NULL AND volume_size > 0;

DELETE FROM quota_usages;

INSERT INTO quota_usages (project_id, resource, in_use, reserved, created_at, updated_at)
SELECT project_id, resource, SUM(in_use), SUM(reserved), NULL, NULL
FROM quota_claims GROUP BY project_id, resource;
