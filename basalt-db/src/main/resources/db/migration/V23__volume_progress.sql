-- How far the work on a volume that copies image data has got, in percent: the download and conversion
-- of an image into a new volume, the upload of a volume to the Image service. Basalt's own (Cinder shows
-- none); NULL when no such work runs. Written to run unchanged on H2, PostgreSQL and MariaDB.
ALTER TABLE volumes ADD COLUMN progress INTEGER NULL;
