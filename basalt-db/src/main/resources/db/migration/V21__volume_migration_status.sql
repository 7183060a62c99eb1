-- Cinder's migration_status of a volume: starting, migrating, completing while a migration (or a
-- retype that moves the volume) runs; success or error after one; NULL when never migrated.
ALTER TABLE volumes ADD COLUMN migration_status VARCHAR(255) NULL;
