-- Roles (issue 9): who may write the data every user shares (market data, the value chain), and
-- invitations for QUANTFLOW_SIGNUP=invite. Tables of our own; the seed's users table is unchanged.

-- One role per account. An account without a row is an analyst; the e-mails in QUANTFLOW_ADMINS are
-- admins whatever their row says (lib/auth/roles.ts).
CREATE TABLE user_roles (
    user_id     UUID PRIMARY KEY,
    role        TEXT NOT NULL,
    granted_at  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- Null when the role came from sign-up (the first account) or this migration.
    granted_by  UUID,
    CONSTRAINT user_roles_role_check CHECK (role IN ('admin', 'analyst')),
    CONSTRAINT user_roles_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT user_roles_granted_by_users_id_fk FOREIGN KEY (granted_by) REFERENCES users(id) ON DELETE SET NULL
);
--> statement-breakpoint
-- An installation that existed before roles: its oldest account is its first admin, the rest analysts.
INSERT INTO user_roles (user_id, role)
SELECT id, CASE WHEN row_number() OVER (ORDER BY created_at NULLS LAST, id) = 1 THEN 'admin' ELSE 'analyst' END
FROM users;
--> statement-breakpoint
-- Invitations: only the sha256 of the token is stored; the link is shown once to the admin who made it.
CREATE TABLE signup_invitations (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash  TEXT NOT NULL UNIQUE,
    -- When set, only this e-mail (normalised, lower case) may use the invitation.
    email       VARCHAR(255),
    role        TEXT NOT NULL DEFAULT 'analyst',
    created_by  UUID,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    used_by     UUID,
    CONSTRAINT signup_invitations_role_check CHECK (role IN ('admin', 'analyst')),
    CONSTRAINT signup_invitations_created_by_users_id_fk FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT signup_invitations_used_by_users_id_fk FOREIGN KEY (used_by) REFERENCES users(id) ON DELETE SET NULL
);
