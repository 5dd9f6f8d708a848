-- +goose Up
-- The apps read models: each customer's apps, the routes their current
-- configuration serves, their API keys, and the hashes the keys are
-- recognised by. Every row carries its customer and the revision of the
-- event that last changed it.
CREATE TABLE apps (
    app_id           text PRIMARY KEY,
    customer_id      text NOT NULL,
    name             text NOT NULL,
    slug             text NOT NULL UNIQUE,
    -- The whole configuration (schema.AppConfig), without the sealed
    -- HS256 secret: has_hs256_secret says whether there is one.
    config           jsonb NOT NULL,
    has_hs256_secret boolean NOT NULL DEFAULT false,
    status           text NOT NULL,
    auth_mode        text NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    revision         bigint NOT NULL
);
CREATE INDEX apps_customer ON apps (customer_id, created_at, app_id);

-- One row per hostname and path prefix of an app's current configuration.
CREATE TABLE app_routes (
    customer_id text NOT NULL,
    app_id      text NOT NULL,
    hostname    text NOT NULL, -- lowercase
    path_prefix text NOT NULL,
    revision    bigint NOT NULL,
    PRIMARY KEY (hostname, path_prefix)
);
CREATE INDEX app_routes_app ON app_routes (customer_id, app_id);

CREATE TABLE api_keys (
    key_id      text PRIMARY KEY,
    customer_id text NOT NULL,
    app_id      text NOT NULL,
    environment text NOT NULL,
    name        text NOT NULL,
    scopes      text[] NOT NULL DEFAULT '{}',
    tenant_id   text NOT NULL DEFAULT '',
    expires_at  timestamptz,
    rate_limit  jsonb, -- schema.RateLimit; null: the app's limit
    prefix      text NOT NULL,
    last4       text NOT NULL,
    status      text NOT NULL CHECK (status IN ('active', 'revoked')),
    created_at  timestamptz NOT NULL,
    rotated_at  timestamptz,
    revoked_at  timestamptz,
    revision    bigint NOT NULL
);
CREATE INDEX api_keys_app ON api_keys (customer_id, app_id, environment, created_at);

-- The SHA-256 of each key secret that works: one per active key, and for
-- a rotated key also the old secret's, until valid_until. A revoked key
-- has none.
CREATE TABLE api_key_hashes (
    key_hash    text PRIMARY KEY,
    key_id      text NOT NULL,
    customer_id text NOT NULL,
    valid_until timestamptz, -- null: until revoked
    revision    bigint NOT NULL
);
CREATE INDEX api_key_hashes_key ON api_key_hashes (customer_id, key_id);

-- Row-level security, as for the accounts tables (00002): aegis_api sees
-- the rows of the customer set in its transaction only.
GRANT SELECT ON apps, app_routes, api_keys, api_key_hashes TO aegis_api;

ALTER TABLE apps ENABLE ROW LEVEL SECURITY;
ALTER TABLE app_routes ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_key_hashes ENABLE ROW LEVEL SECURITY;

CREATE POLICY by_customer ON apps FOR SELECT TO aegis_api
    USING (customer_id = current_setting('aegis.customer_id', true));
CREATE POLICY by_customer ON app_routes FOR SELECT TO aegis_api
    USING (customer_id = current_setting('aegis.customer_id', true));
CREATE POLICY by_customer ON api_keys FOR SELECT TO aegis_api
    USING (customer_id = current_setting('aegis.customer_id', true));
CREATE POLICY by_customer ON api_key_hashes FOR SELECT TO aegis_api
    USING (customer_id = current_setting('aegis.customer_id', true));

-- +goose Down
DROP TABLE api_key_hashes;
DROP TABLE api_keys;
DROP TABLE app_routes;
DROP TABLE apps;
