-- +goose Up
-- Which events email whom, per customer (customer.notifications_set).
ALTER TABLE customers ADD COLUMN notifications jsonb NOT NULL DEFAULT '{"rules": []}';

-- +goose Down
ALTER TABLE customers DROP COLUMN notifications;
