-- Revocable sessions (issue 9): next-auth's JWT names one row here (its `sid`), and every request
-- checks that the row still exists. Sign-out deletes its row; a password change deletes the user's
-- other rows; an admin (or account deletion, by cascade) deletes them all.
CREATE TABLE user_sessions (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       UUID NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- Moved forward at most hourly by the check; a row unseen for longer than a session lasts is dropped.
    last_seen_at  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT user_sessions_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX user_sessions_user_id_idx ON user_sessions (user_id);
--> statement-breakpoint
CREATE INDEX user_sessions_last_seen_at_idx ON user_sessions (last_seen_at);
