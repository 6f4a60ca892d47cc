-- Sanity bounds on stored bars (issue 9, item 2): reviewed overrides of a stock's daily price limits
-- for corporate-action days, and the log of stored bars that a write replaced with different values.
-- Tables of our own; the seed's market tables are unchanged.

-- An admin's reviewed statement that a stock's bars of one Vietnamese trading day may leave the day's
-- price limits (an ex-rights day, a split, a relisting). Only the limit check is lifted: the plausible
-- range of prices and volumes still applies (lib/market/bar-bounds.ts).
CREATE TABLE market_bar_overrides (
    symbol       VARCHAR(20) NOT NULL,
    -- The trading day in Vietnam (Asia/Ho_Chi_Minh) whose bars the override lets through.
    trade_date   DATE NOT NULL,
    reason       TEXT NOT NULL,
    reviewed_by  UUID,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT market_bar_overrides_pkey PRIMARY KEY (symbol, trade_date),
    CONSTRAINT market_bar_overrides_reason_check CHECK (length(btrim(reason)) BETWEEN 3 AND 500),
    CONSTRAINT market_bar_overrides_reviewed_by_users_id_fk FOREIGN KEY (reviewed_by) REFERENCES users(id) ON DELETE SET NULL
);
--> statement-breakpoint
-- A stored bar replaced by different values (or removed by a correction): before and after, who and
-- what wrote it. Written set-based by the upsert itself (lib/market/ingest.ts), so it costs one
-- extra index probe per overlapping row, nothing on an append.
CREATE TABLE market_candle_changes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    symbol       VARCHAR(20) NOT NULL,
    time         TIMESTAMPTZ NOT NULL,
    -- '1m': market_candles; '1D': market_candles_eod.
    resolution   TEXT NOT NULL,
    old_open     DOUBLE PRECISION NOT NULL,
    old_high     DOUBLE PRECISION NOT NULL,
    old_low      DOUBLE PRECISION NOT NULL,
    old_close    DOUBLE PRECISION NOT NULL,
    old_volume   BIGINT NOT NULL,
    -- Null when a correction removed the bar without a replacement.
    new_open     DOUBLE PRECISION,
    new_high     DOUBLE PRECISION,
    new_low      DOUBLE PRECISION,
    new_close    DOUBLE PRECISION,
    new_volume   BIGINT,
    source       TEXT NOT NULL,
    -- Who wrote it; no foreign key: an audit record keeps the id after the account is deleted.
    user_id      UUID,
    changed_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT market_candle_changes_resolution_check CHECK (resolution IN ('1m', '1D')),
    CONSTRAINT market_candle_changes_source_check CHECK (source IN ('csv-import', 'backfill', 'correction', 'live-feed', 'ingest'))
);
--> statement-breakpoint
CREATE INDEX market_candle_changes_symbol_time_idx ON market_candle_changes (symbol, time);
--> statement-breakpoint
CREATE INDEX market_candle_changes_changed_at_idx ON market_candle_changes (changed_at);
