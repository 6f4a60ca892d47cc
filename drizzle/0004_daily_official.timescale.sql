-- The official end-of-day bar is authoritative (issue 8): market_candles_1d shows the bar of
-- market_candles_eod wherever one is stored, and the continuous aggregate's day only for days without
-- one. The same rule as 0004_daily_official.native.sql; market_candles_1d_range (0003) reads this view.
-- Plus the record that lets every app instance run the rollup refresh on a schedule, each slot once
-- (lib/market/rollup-refresh.ts).
CREATE OR REPLACE VIEW market_candles_1d AS
SELECT i.bucket, i.symbol, i.open, i.high, i.low, i.close, i.volume
  FROM market_candles_1d_intraday i
 -- An end-of-day bar is stamped 00:00 in Vietnam, the day bucket's own start: one primary-key probe.
 WHERE NOT EXISTS (SELECT 1 FROM market_candles_eod e WHERE e.symbol = i.symbol AND e.time = i.bucket)
UNION ALL
SELECT e.time AS bucket, e.symbol, e.open, e.high, e.low, e.close, e.volume
  FROM market_candles_eod e;
--> statement-breakpoint
-- One row: the last refresh slot an instance claimed. Claiming is `UPDATE … SET slot = $1 WHERE
-- slot < $1`: of instances claiming the same slot, the second waits on the row lock, then finds the
-- slot taken and does nothing.
CREATE TABLE market_rollup_refresh (
    id           BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    slot         TIMESTAMPTZ NOT NULL,
    instance     TEXT,
    finished_at  TIMESTAMPTZ,
    error        TEXT
);
--> statement-breakpoint
INSERT INTO market_rollup_refresh (slot) VALUES ('-infinity');
