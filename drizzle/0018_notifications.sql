-- Notifications (issue 15): the centre's rows, each user's delivery channels, the delivery log of a
-- run (one row per run and channel: the unique pair is what makes two app instances deliver once), and
-- the last symbol set an Alert node notified about (for "only when the symbols changed").
CREATE TABLE notification_channels (
    id                    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind                  VARCHAR(10) NOT NULL CHECK (kind IN ('email', 'telegram', 'webhook')),
    name                  VARCHAR(60) NOT NULL,
    -- Not secret: the e-mail address, the Telegram chat id, or the webhook URL.
    target                TEXT NOT NULL,
    -- Fernet token (lib/crypto): the Telegram bot token or the webhook signing secret; never sent back.
    secret                TEXT,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    paused_at             TIMESTAMPTZ,
    paused_reason         TEXT,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT notification_channels_user_id_name_key UNIQUE (user_id, name)
);
--> statement-breakpoint
CREATE TABLE notifications (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         VARCHAR(20) NOT NULL DEFAULT 'alert' CHECK (kind IN ('alert', 'signals', 'channel-paused')),
    workflow_id  UUID REFERENCES workflows(id) ON DELETE SET NULL,
    run_id       UUID REFERENCES workflow_execution_logs(id) ON DELETE SET NULL,
    title        VARCHAR(200) NOT NULL,
    severity     VARCHAR(10) NOT NULL DEFAULT 'info' CHECK (severity IN ('info', 'warning', 'critical')),
    body         TEXT NOT NULL DEFAULT '',
    -- [{ symbol, close, change, changePct }] as decimal strings (VND), at the time of the run.
    symbols      JSONB NOT NULL DEFAULT '[]'::jsonb,
    read_at      TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX notifications_user_id_created_at_idx ON notifications (user_id, created_at DESC, id);
--> statement-breakpoint
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
--> statement-breakpoint
CREATE TABLE notification_deliveries (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    run_id        UUID NOT NULL REFERENCES workflow_execution_logs(id) ON DELETE CASCADE,
    channel_id    UUID REFERENCES notification_channels(id) ON DELETE SET NULL,
    channel_kind  VARCHAR(10) NOT NULL,
    channel_name  VARCHAR(60) NOT NULL,
    state         VARCHAR(10) NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'retrying', 'sent', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    error         TEXT,
    -- The message as rendered when the run ended (retries send the same text).
    message       JSONB NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at       TIMESTAMPTZ,
    CONSTRAINT notification_deliveries_run_id_channel_id_key UNIQUE (run_id, channel_id)
);
--> statement-breakpoint
CREATE INDEX notification_deliveries_user_id_idx ON notification_deliveries (user_id);
--> statement-breakpoint
CREATE TABLE notification_alert_states (
    workflow_id  UUID NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    node_id      VARCHAR(100) NOT NULL,
    symbols      JSONB NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (workflow_id, node_id)
);
