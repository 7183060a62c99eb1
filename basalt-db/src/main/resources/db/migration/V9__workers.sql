-- Work in flight, as Cinder's workers table records it: one row per resource being worked on
-- (resource_type 'Volume' or 'Snapshot', as Cinder names them), written in the transaction that
-- puts the resource in its transitional status (creating, deleting, extending), claimed by the
-- service that does the work (service_id), removed in the transaction that gives the resource its
-- final status. A service that restarts finishes or fails the rows it owns; a scheduler cleans
-- those of a service that stays down, and re-sends work nobody claimed. race_preventer grows with
-- every claim, so a claim made on what was read succeeds for one claimer only.
--
-- Services get Cinder's number (services.id), which workers rows and POST /workers/cleanup name
-- them by. Written to run unchanged on H2, PostgreSQL and MariaDB (>= 10.3.2 updates a table from
-- a subquery on itself).

ALTER TABLE services ADD COLUMN id INTEGER NULL;

UPDATE services SET id = (SELECT COUNT(*) FROM services s2 WHERE s2.uuid <= services.uuid);

CREATE UNIQUE INDEX uq_services_id ON services (id);

CREATE TABLE workers (
    resource_type     VARCHAR(40)  NOT NULL,
    resource_id       VARCHAR(36)  NOT NULL,
    status            VARCHAR(255) NOT NULL,
    service_id        INTEGER      NULL,
    race_preventer    INTEGER      DEFAULT 0 NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    PRIMARY KEY (resource_type, resource_id)
);

CREATE INDEX ix_workers_service ON workers (service_id);
