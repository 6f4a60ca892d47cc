-- Accounts: the sign-in throttle and when each user's DNSE token was last stored. The users table
-- stays exactly the seed's (dnse_client_id and the Fernet-encrypted dnse_token live there).

-- Failed sign-ins per email and per client address, in PostgreSQL so that every app instance sees
-- the same counts. key_hash = sha256('email:<normalised email>') or sha256('ip:<address>'): no
-- address or email (possibly of no account at all) is stored in clear.
CREATE TABLE sign_in_throttle (
    key_hash           TEXT PRIMARY KEY,
    failures           INTEGER NOT NULL DEFAULT 0,
    window_started_at  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
--> statement-breakpoint
CREATE INDEX sign_in_throttle_window_started_at_idx ON sign_in_throttle (window_started_at);
--> statement-breakpoint
-- "When it was updated" for the broker page: users.updated_at moves with every change of the row
-- (a password change too), so the token's own time is kept beside it, removed with the user.
CREATE TABLE dnse_connections (
    user_id            UUID PRIMARY KEY,
    token_updated_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT dnse_connections_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
