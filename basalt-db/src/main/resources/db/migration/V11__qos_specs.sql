-- QoS specs (Cinder's quality_of_service_specs): a named set of limits with a consumer
-- (front-end: the host applies them; back-end: the target does; both), its key/value specs as
-- child rows, and the volume types associated with it (a type has at most one).

CREATE TABLE qos_specs (
    id                VARCHAR(36)  NOT NULL PRIMARY KEY,
    name              VARCHAR(255) NOT NULL,
    consumer          VARCHAR(16)  NOT NULL,
    created_at        TIMESTAMP(6) NULL,
    updated_at        TIMESTAMP(6) NULL,
    CONSTRAINT uq_qos_specs_name UNIQUE (name)
);

CREATE TABLE qos_specs_items (
    specs_id          VARCHAR(36)  NOT NULL,
    spec_key          VARCHAR(255) NOT NULL,
    spec_value        VARCHAR(255) NULL,
    PRIMARY KEY (specs_id, spec_key),
    CONSTRAINT fk_qos_specs_items_specs FOREIGN KEY (specs_id) REFERENCES qos_specs (id) ON DELETE CASCADE
);

ALTER TABLE volume_types ADD COLUMN qos_specs_id VARCHAR(36) NULL;
ALTER TABLE volume_types ADD CONSTRAINT fk_volume_types_qos_specs FOREIGN KEY (qos_specs_id) REFERENCES qos_specs (id);
CREATE INDEX ix_volume_types_qos_specs ON volume_types (qos_specs_id);
