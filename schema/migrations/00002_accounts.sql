-- +goose Up
-- The accounts read models: customers, their members, and what members
-- hold (email verifications, dashboard sessions, personal access tokens).
-- Every row carries its customer and the revision of the event that last
-- changed it.
CREATE TABLE customers (
    customer_id      text PRIMARY KEY,
    company_name     text NOT NULL,
    status           text NOT NULL CHECK (status IN ('active', 'suspended')),
    owner_id         text NOT NULL,
    created_at       timestamptz NOT NULL,
    suspended_reason text NOT NULL DEFAULT '',
    revision         bigint NOT NULL
);

CREATE TABLE members (
    member_id      text PRIMARY KEY,
    customer_id    text NOT NULL,
    email          text NOT NULL UNIQUE, -- lowercase
    role           text NOT NULL,
    password_hash  text NOT NULL,
    email_verified boolean NOT NULL DEFAULT false,
    invited_by     text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL,
    revision       bigint NOT NULL
);
CREATE INDEX members_customer ON members (customer_id, created_at, member_id);

CREATE TABLE member_verifications (
    verification_id text PRIMARY KEY,
    customer_id     text NOT NULL,
    member_id       text NOT NULL,
    email           text NOT NULL,
    token_hash      text NOT NULL UNIQUE,
    expires_at      timestamptz NOT NULL,
    issued_at       timestamptz NOT NULL,
    used_at         timestamptz,
    revision        bigint NOT NULL
);
CREATE INDEX member_verifications_member ON member_verifications (customer_id, member_id, issued_at DESC);

CREATE TABLE sessions (
    session_id  text PRIMARY KEY,
    customer_id text NOT NULL,
    member_id   text NOT NULL,
    started_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    ended_at    timestamptz,
    ip          text NOT NULL DEFAULT '',
    user_agent  text NOT NULL DEFAULT '',
    revision    bigint NOT NULL
);
CREATE INDEX sessions_member ON sessions (customer_id, member_id, started_at DESC);

CREATE TABLE access_tokens (
    token_id    text PRIMARY KEY,
    customer_id text NOT NULL,
    member_id   text NOT NULL,
    name        text NOT NULL,
    token_hash  text NOT NULL UNIQUE,
    prefix      text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz,
    revoked_at  timestamptz,
    revision    bigint NOT NULL
);
CREATE INDEX access_tokens_member ON access_tokens (customer_id, member_id, created_at DESC);

-- Row-level security. The admin API reads as aegis_api, and names the
-- customer it acts for in each transaction:
--   SET LOCAL ROLE aegis_api;
--   SELECT set_config('aegis.customer_id', '<customer id>', true);
-- It then sees that customer's rows only, and none while no customer is
-- set. The projector writes as the tables' owner, which RLS does not bind
-- (no FORCE ROW LEVEL SECURITY).
--
-- Roles belong to the cluster, not the database: another database may have
-- created aegis_api already, or be creating it right now.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'aegis_api') THEN
        CREATE ROLE aegis_api NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL; -- created concurrently by another migration
END
$$;
-- +goose StatementEnd
-- The owner may then SET ROLE aegis_api, to read as the admin API does.
-- +goose StatementBegin
DO $$
BEGIN
    GRANT aegis_api TO CURRENT_USER;
EXCEPTION
    WHEN unique_violation THEN
        NULL; -- granted concurrently by another migration
END
$$;
-- +goose StatementEnd

GRANT USAGE ON SCHEMA public TO aegis_api;
-- projection_checkpoints holds no customer data: readable whole, so that
-- queries can wait for a revision.
GRANT SELECT ON projection_checkpoints, audit_events, customers, members,
    member_verifications, sessions, access_tokens TO aegis_api;

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE members ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_verifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;

CREATE POLICY by_customer ON customers FOR SELECT TO aegis_api
    USING (customer_id = current_setting('aegis.customer_id', true));
CREATE POLICY by_customer ON members FOR SELECT TO aegis_api
    USING (customer_id = current_setting('aegis.customer_id', true));
CREATE POLICY by_customer ON member_verifications FOR SELECT TO aegis_api
    USING (customer_id = current_setting('aegis.customer_id', true));
CREATE POLICY by_customer ON sessions FOR SELECT TO aegis_api
    USING (customer_id = current_setting('aegis.customer_id', true));
CREATE POLICY by_customer ON access_tokens FOR SELECT TO aegis_api
    USING (customer_id = current_setting('aegis.customer_id', true));
CREATE POLICY by_customer ON audit_events FOR SELECT TO aegis_api
    USING (customer_id = current_setting('aegis.customer_id', true));

-- +goose Down
-- The role stays: other databases of the cluster may use it.
DROP POLICY by_customer ON audit_events;
ALTER TABLE audit_events DISABLE ROW LEVEL SECURITY;
REVOKE SELECT ON projection_checkpoints, audit_events FROM aegis_api;
REVOKE USAGE ON SCHEMA public FROM aegis_api;
DROP TABLE access_tokens;
DROP TABLE sessions;
DROP TABLE member_verifications;
DROP TABLE members;
DROP TABLE customers;
