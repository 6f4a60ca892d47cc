-- Personal API tokens (issue 9, item 7): scripts and notebooks send `Authorization: Bearer qf_…` instead of
-- the session cookie. Only the sha256 of a token is stored; the token itself is shown once, when made.
CREATE TABLE api_tokens (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       UUID NOT NULL,
    name          VARCHAR(100) NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    -- The token's first characters after the prefix, so a user can tell their tokens apart in the list.
    hint          VARCHAR(16) NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    last_used_at  TIMESTAMPTZ,
    -- Revoked tokens stay listed (when, and that they no longer work) until the account is deleted.
    revoked_at    TIMESTAMPTZ,
    CONSTRAINT api_tokens_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);
