-- +goose Up
-- Invited members: member.invited creates the row before the person has a
-- password (password_hash is '' until they join), and member.joined then
-- makes it active. A member who joined without an invitation (the owner at
-- registration) is active from the start.
ALTER TABLE members
    ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active')),
    -- The pending invitation, while status is 'invited'; '' and null after.
    ADD COLUMN invitation_id text NOT NULL DEFAULT '',
    ADD COLUMN invitation_expires_at timestamptz NULL;

-- +goose Down
-- Before this migration a member always had a password: invited members,
-- who have none yet, go with the columns.
DELETE FROM members WHERE status = 'invited';
ALTER TABLE members
    DROP COLUMN invitation_expires_at,
    DROP COLUMN invitation_id,
    DROP COLUMN status;
