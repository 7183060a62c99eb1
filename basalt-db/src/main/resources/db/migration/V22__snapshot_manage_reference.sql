-- The reference (Cinder's source-name) of the storage a snapshot is being made from when it is
-- managed (os-snapshot-manage); NULL for a snapshot Basalt took. It tells the volume service that a
-- creating snapshot adopts storage it must never wipe, and lets a restarted service finish it.
ALTER TABLE snapshots ADD COLUMN manage_reference VARCHAR(255) NULL;
