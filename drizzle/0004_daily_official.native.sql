-- The official end-of-day bar is authoritative (issue 8): market_candles_1d shows the bar of
-- market_candles_eod wherever one is stored, and aggregates 1-minute bars only for days without one.
-- Before, any 1-minute bar of a day hid its end-of-day bar, so a day with part of its minutes showed
-- their aggregation (open and volume of a few hours) instead of the exchange's bar. The same rule as
-- 0004_daily_official.timescale.sql. Plus the record that lets every app instance run the rollup
-- refresh on a schedule, each slot once (lib/market/rollup-refresh.ts).
CREATE OR REPLACE VIEW market_candles_1d AS
SELECT i.bucket, i.symbol, i.open, i.high, i.low, i.close, i.volume
  FROM market_candles_1d_intraday i
 -- An end-of-day bar is stamped 00:00 in Vietnam, the day bucket's own start: one primary-key probe.
 WHERE NOT EXISTS (SELECT 1 FROM market_candles_eod e WHERE e.symbol = i.symbol AND e.time = i.bucket)
UNION ALL
SELECT e.time AS bucket, e.symbol, e.open, e.high, e.low, e.close, e.volume
  FROM market_candles_eod e;
--> statement-breakpoint
-- market_candles_1d's rows for one symbol's window (see 0003_candle_reads.native.sql for why a
-- function): the days aggregated from the hours, less those with an end-of-day bar, then the window's
-- end-of-day bars.
CREATE OR REPLACE FUNCTION market_candles_1d_range(p_symbol text, p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    wm timestamptz;
BEGIN
    SELECT w.watermark INTO wm FROM market_candles_1h_watermark w;
    -- Hours of days starting in [p_from, p_to): from p_from to a day (24 hours: date_bin's) past p_to;
    -- days starting before p_from, partly read, are dropped whole.
    RETURN QUERY EXECUTE $q$
        WITH hours AS (
            SELECT m.bucket, m.open, m.high, m.low, m.close, m.volume
              FROM market_candles_1h_materialized m
             WHERE m.symbol = $1 AND m.bucket >= $2 AND m.bucket < $7 AND m.bucket < $5
            UNION ALL
            SELECT date_bin('1 hour', c.time, '2000-01-03 00:00+00'),
                   (array_agg(c.open ORDER BY c.time))[1], max(c.high), min(c.low),
                   (array_agg(c.close ORDER BY c.time DESC))[1], sum(c.volume)::bigint
              FROM market_candles c
             WHERE c.symbol = $1 AND c.time >= $6 AND c.time < $7
             GROUP BY 1
        ), days AS (
            SELECT date_bin('1 day', h.bucket, '2000-01-02 17:00+00') AS bucket,
                   (array_agg(h.open ORDER BY h.bucket))[1] AS open, max(h.high) AS high, min(h.low) AS low,
                   (array_agg(h.close ORDER BY h.bucket DESC))[1] AS close, sum(h.volume)::bigint AS volume
              FROM hours h
             GROUP BY 1
        )
        SELECT b.bucket, b.open, b.high, b.low, b.close, b.volume FROM (
            SELECT d.bucket, d.open, d.high, d.low, d.close, d.volume
              FROM days d
             WHERE d.bucket >= $2 AND d.bucket < $3
               AND NOT EXISTS (SELECT 1 FROM market_candles_eod e WHERE e.symbol = $1 AND e.time = d.bucket)
            UNION ALL
            SELECT e.time, e.open, e.high, e.low, e.close, e.volume
              FROM market_candles_eod e
             WHERE e.symbol = $1 AND e.time >= $2 AND e.time < $3
        ) AS b
        ORDER BY b.bucket DESC LIMIT $4
    $q$ USING p_symbol, p_from, p_to, p_limit, wm, greatest(p_from, wm), p_to + interval '24 hours';
END;
$fn$;
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
