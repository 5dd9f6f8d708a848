-- +goose Up
-- What the gateway projection needs to remember to keep the KV view right:
-- the route keys each app has, and each API key's record and the hashes
-- it answers to (the current secret, and rotated ones in their grace).
CREATE TABLE gateway_routes (
    customer_id text NOT NULL,
    app_id      text NOT NULL,
    route_key   text NOT NULL,
    revision    bigint NOT NULL,
    PRIMARY KEY (app_id, route_key)
);

CREATE TABLE gateway_keys (
    key_id      text PRIMARY KEY,
    customer_id text NOT NULL,
    record      jsonb NOT NULL,
    hashes      text[] NOT NULL,
    revision    bigint NOT NULL
);

-- +goose Down
DROP TABLE gateway_keys;
DROP TABLE gateway_routes;
