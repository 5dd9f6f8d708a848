-- +goose Up
-- Every projection's progress: the last event revision applied. A
-- projection writes its rows and this row in one transaction.
CREATE TABLE projection_checkpoints (
    name       text PRIMARY KEY,
    revision   bigint NOT NULL DEFAULT 0 CHECK (revision >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The audit read model: every event, as it was appended.
CREATE TABLE audit_events (
    revision       bigint PRIMARY KEY,
    id             uuid NOT NULL UNIQUE,
    customer_id    text NOT NULL,
    type           text NOT NULL,
    version        integer NOT NULL,
    aggregate      text NOT NULL,
    aggregate_id   text NOT NULL,
    actor_kind     text NOT NULL,
    actor_id       text NOT NULL DEFAULT '',
    occurred_at    timestamptz NOT NULL,
    correlation_id text NOT NULL DEFAULT '',
    causation_id   text NOT NULL DEFAULT '',
    payload        jsonb NOT NULL
);
CREATE INDEX audit_events_customer_revision ON audit_events (customer_id, revision DESC);
CREATE INDEX audit_events_customer_type ON audit_events (customer_id, type, revision DESC);
CREATE INDEX audit_events_aggregate ON audit_events (customer_id, aggregate, aggregate_id, revision DESC);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE projection_checkpoints;
