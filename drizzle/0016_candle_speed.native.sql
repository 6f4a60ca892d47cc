-- Speed where analysts wait (issue 14), native shape; 0016_candle_speed.timescale.sql gives the same
-- answers with TimescaleDB.
--   market_candles_1d_materialized  the trading days below the day watermark, aggregated from the
--                        materialised hours by market_candles_1h_refresh() (same invalidation log, same
--                        watermark: a day is materialised once all its hours are, i.e. the day
--                        watermark is the start of the Vietnamese day holding the hourly watermark).
--                        Like market_candles_1d_intraday it holds days of 1-minute bars only: the
--                        official end-of-day bar is applied when read (it shows at once, no refresh).
--   value                Σ close × volume of the bucket's 1-minute bars (numeric: exact), on the hourly
--                        and daily rollups: the market snapshot's liquidity without reading minutes.
--   market_candles_1h_many / market_candles_1d_many   the last N bars (or a window) of many symbols in
--                        one statement: the workflows' and the portfolio's reads.
--   market_snapshot      the snapshot's figures in one statement from the rollups.
--   market_candles_eod_time_idx   the latest end-of-day bar of a market without a probe per symbol.
ALTER TABLE market_candles_1h_materialized ADD COLUMN value NUMERIC;
--> statement-breakpoint
UPDATE market_candles_1h_materialized m SET value = v.value
  FROM (SELECT c.symbol, date_bin('1 hour', c.time, '2000-01-03 00:00+00') AS bucket, sum(c.close::numeric * c.volume) AS value
          FROM market_candles c
         WHERE c.time < (SELECT watermark FROM market_candles_1h_watermark)
         GROUP BY 1, 2) AS v
 WHERE m.symbol = v.symbol AND m.bucket = v.bucket;
--> statement-breakpoint
-- An hour whose minutes were deleted and not refreshed yet: it is in the invalidation log, the next
-- refresh rewrites or removes it.
UPDATE market_candles_1h_materialized SET value = 0 WHERE value IS NULL;
--> statement-breakpoint
ALTER TABLE market_candles_1h_materialized ALTER COLUMN value SET NOT NULL;
--> statement-breakpoint
CREATE INDEX market_candles_eod_time_idx ON market_candles_eod (time DESC);
--> statement-breakpoint
CREATE TABLE market_candles_1d_materialized (
    bucket      TIMESTAMPTZ       NOT NULL,
    symbol      TEXT              NOT NULL,
    open        DOUBLE PRECISION  NOT NULL,
    high        DOUBLE PRECISION  NOT NULL,
    low         DOUBLE PRECISION  NOT NULL,
    close       DOUBLE PRECISION  NOT NULL,
    volume      BIGINT            NOT NULL,
    value       NUMERIC           NOT NULL,
    CONSTRAINT market_candles_1d_materialized_pkey PRIMARY KEY (symbol, bucket)
);
--> statement-breakpoint
-- The day watermark of an hourly watermark: the start (00:00 in Vietnam, 17:00 UTC) of its day.
CREATE FUNCTION market_candles_day_watermark(wm timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN isfinite(wm) THEN date_bin('1 day', wm, '2000-01-02 17:00+00') ELSE wm END
$$;
--> statement-breakpoint
INSERT INTO market_candles_1d_materialized (bucket, symbol, open, high, low, close, volume, value)
SELECT date_bin('1 day', h.bucket, '2000-01-02 17:00+00'), h.symbol,
       (array_agg(h.open ORDER BY h.bucket))[1], max(h.high), min(h.low),
       (array_agg(h.close ORDER BY h.bucket DESC))[1], sum(h.volume)::bigint, sum(h.value)
  FROM market_candles_1h_materialized h
 WHERE h.bucket < market_candles_day_watermark((SELECT watermark FROM market_candles_1h_watermark))
 GROUP BY 1, 2;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION market_candles_1h_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE market_candles_1h_materialized, market_candles_1d_materialized, market_candles_1h_invalidations;
    UPDATE market_candles_1h_watermark SET watermark = '-infinity';
    RETURN NULL;
END;
$$;
--> statement-breakpoint
-- 0001's refresh, plus: the value column; the touched hours' bounds passed as constants (EXECUTE), so
-- the per-hour probes plan only the partitions they can be in; then the days: those of the touched
-- hours below the old day watermark re-aggregated from the hours, those between the old and the new
-- day watermark materialised. Returns the number of hourly rows written, as before.
CREATE OR REPLACE FUNCTION market_candles_1h_refresh() RETURNS integer LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    old_wm   timestamptz;
    new_wm   timestamptz;
    old_dwm  timestamptz;
    new_dwm  timestamptz;
    latest   timestamptz;
    symbols  text[];
    buckets  timestamptz[];
    lo       timestamptz;
    hi       timestamptz;
    written  integer := 0;
    affected integer;
BEGIN
    -- Taken first: waits for writers holding the old watermark; each later statement sees their rows.
    SELECT watermark INTO old_wm FROM market_candles_1h_watermark FOR UPDATE;
    SELECT max(time) INTO latest FROM market_candles
     WHERE time < date_bin('1 hour', clock_timestamp(), '2000-01-03 00:00+00');
    new_wm := greatest(old_wm, date_bin('1 hour', latest, '2000-01-03 00:00+00') + interval '1 hour');
    old_dwm := market_candles_day_watermark(old_wm);
    new_dwm := market_candles_day_watermark(new_wm);

    WITH taken AS (DELETE FROM market_candles_1h_invalidations RETURNING symbol, bucket)
    SELECT array_agg(symbol), array_agg(bucket), min(bucket), max(bucket) INTO symbols, buckets, lo, hi
      FROM (SELECT DISTINCT symbol, bucket FROM taken WHERE bucket < old_wm) AS pairs;
    IF symbols IS NOT NULL THEN
        EXECUTE $q$
        WITH fresh AS MATERIALIZED (
            SELECT u.symbol, u.bucket, a.*
              FROM unnest($1::text[], $2::timestamptz[]) AS u(symbol, bucket)
             CROSS JOIN LATERAL (
                   SELECT count(*) AS bars, (array_agg(c.open ORDER BY c.time))[1] AS open, max(c.high) AS high,
                          min(c.low) AS low, (array_agg(c.close ORDER BY c.time DESC))[1] AS close,
                          sum(c.volume)::bigint AS volume, sum(c.close::numeric * c.volume) AS value
                     FROM market_candles c
                    WHERE c.symbol = u.symbol AND c.time >= u.bucket AND c.time < u.bucket + interval '1 hour'
                      AND c.time >= $3 AND c.time < $4) AS a
        ), emptied AS (
            DELETE FROM market_candles_1h_materialized m
             USING fresh f
             WHERE f.bars = 0 AND m.symbol = f.symbol AND m.bucket = f.bucket
        )
        INSERT INTO market_candles_1h_materialized (bucket, symbol, open, high, low, close, volume, value)
        SELECT bucket, symbol, open, high, low, close, volume, value FROM fresh WHERE bars > 0
        ON CONFLICT (symbol, bucket) DO UPDATE
           SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
               close = EXCLUDED.close, volume = EXCLUDED.volume, value = EXCLUDED.value
        $q$ USING symbols, buckets, lo, hi + interval '1 hour';
        GET DIAGNOSTICS affected = ROW_COUNT;
        written := written + affected;

        -- Their days, where materialised: aggregated again from the hours (none left: removed).
        WITH days AS (
            SELECT DISTINCT u.symbol, date_bin('1 day', u.bucket, '2000-01-02 17:00+00') AS bucket
              FROM unnest(symbols, buckets) AS u(symbol, bucket)
             WHERE u.bucket < old_dwm
        ), fresh AS MATERIALIZED (
            SELECT d.symbol, d.bucket, a.*
              FROM days d
             CROSS JOIN LATERAL (
                   SELECT count(*) AS hours, (array_agg(h.open ORDER BY h.bucket))[1] AS open, max(h.high) AS high,
                          min(h.low) AS low, (array_agg(h.close ORDER BY h.bucket DESC))[1] AS close,
                          sum(h.volume)::bigint AS volume, sum(h.value) AS value
                     FROM market_candles_1h_materialized h
                    WHERE h.symbol = d.symbol AND h.bucket >= d.bucket AND h.bucket < d.bucket + interval '24 hours') AS a
        ), emptied AS (
            DELETE FROM market_candles_1d_materialized m
             USING fresh f
             WHERE f.hours = 0 AND m.symbol = f.symbol AND m.bucket = f.bucket
        )
        INSERT INTO market_candles_1d_materialized (bucket, symbol, open, high, low, close, volume, value)
        SELECT bucket, symbol, open, high, low, close, volume, value FROM fresh WHERE hours > 0
        ON CONFLICT (symbol, bucket) DO UPDATE
           SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
               close = EXCLUDED.close, volume = EXCLUDED.volume, value = EXCLUDED.value;
    END IF;

    IF new_wm > old_wm THEN
        INSERT INTO market_candles_1h_materialized (bucket, symbol, open, high, low, close, volume, value)
        SELECT date_bin('1 hour', time, '2000-01-03 00:00+00'), symbol,
               (array_agg(open ORDER BY time))[1], max(high), min(low),
               (array_agg(close ORDER BY time DESC))[1], sum(volume)::bigint, sum(close::numeric * volume)
          FROM market_candles
         WHERE time >= old_wm AND time < new_wm
         GROUP BY 1, 2;
        GET DIAGNOSTICS affected = ROW_COUNT;
        written := written + affected;
        UPDATE market_candles_1h_watermark SET watermark = new_wm;
    END IF;

    IF new_dwm > old_dwm THEN
        INSERT INTO market_candles_1d_materialized (bucket, symbol, open, high, low, close, volume, value)
        SELECT date_bin('1 day', h.bucket, '2000-01-02 17:00+00'), h.symbol,
               (array_agg(h.open ORDER BY h.bucket))[1], max(h.high), min(h.low),
               (array_agg(h.close ORDER BY h.bucket DESC))[1], sum(h.volume)::bigint, sum(h.value)
          FROM market_candles_1h_materialized h
         WHERE h.bucket >= old_dwm AND h.bucket < new_dwm
         GROUP BY 1, 2;
    END IF;
    RETURN written;
END;
$$;
--> statement-breakpoint
-- The days of 1-minute bars: materialised below the day watermark, aggregated from the hours above it.
CREATE OR REPLACE VIEW market_candles_1d_intraday AS
SELECT d.bucket, d.symbol, d.open, d.high, d.low, d.close, d.volume
  FROM market_candles_1d_materialized d
 WHERE d.bucket < market_candles_day_watermark((SELECT watermark FROM market_candles_1h_watermark))
UNION ALL
SELECT date_bin('1 day', h.bucket, '2000-01-02 17:00+00') AS bucket, h.symbol,
       (array_agg(h.open ORDER BY h.bucket))[1] AS open, max(h.high) AS high, min(h.low) AS low,
       (array_agg(h.close ORDER BY h.bucket DESC))[1] AS close, sum(h.volume)::bigint AS volume
  FROM market_candles_1h h
 WHERE h.bucket >= market_candles_day_watermark((SELECT watermark FROM market_candles_1h_watermark))
 GROUP BY 1, 2;
--> statement-breakpoint
-- One symbol's window of days (0004's contract): materialised days below the day watermark; above
-- it, days from the materialised hours and, above the hourly watermark, from the 1-minute bars; the
-- official end-of-day bar wherever one is stored.
CREATE OR REPLACE FUNCTION market_candles_1d_range(p_symbol text, p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
    RETURN QUERY SELECT m.bucket, m.open, m.high, m.low, m.close, m.volume
                   FROM market_candles_1d_many(ARRAY[p_symbol], p_from, p_to, p_limit) AS m;
END;
$fn$;
--> statement-breakpoint
-- The bars whose bucket is in [p_from, p_to) of every symbol of p_symbols, each symbol's newest
-- p_limit (NULL: all), as market_candles_1d_range would give them one by one; one statement planned
-- once (EXECUTE: the bounds are constants, so only the partitions above the watermark are planned).
CREATE FUNCTION market_candles_1d_many(p_symbols text[], p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (symbol text, bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    wm  timestamptz;
    dwm timestamptz;
BEGIN
    SELECT w.watermark INTO wm FROM market_candles_1h_watermark w;
    dwm := market_candles_day_watermark(wm);
    RETURN QUERY EXECUTE $q$
        SELECT s.symbol, b.bucket, b.open, b.high, b.low, b.close, b.volume
          FROM unnest($1::text[]) WITH ORDINALITY AS s(symbol, n)
         CROSS JOIN LATERAL (
            SELECT x.bucket, x.open, x.high, x.low, x.close, x.volume FROM (
                -- Each source newest first and at most p_limit: a backward index scan that stops.
                (SELECT d.bucket, d.open, d.high, d.low, d.close, d.volume
                   FROM market_candles_1d_materialized d
                  WHERE d.symbol = s.symbol AND d.bucket >= $2 AND d.bucket < $3 AND d.bucket < $8
                    AND NOT EXISTS (SELECT 1 FROM market_candles_eod e WHERE e.symbol = s.symbol AND e.time = d.bucket)
                  ORDER BY d.bucket DESC LIMIT $4)
                UNION ALL
                SELECT l.bucket, l.open, l.high, l.low, l.close, l.volume FROM (
                    SELECT date_bin('1 day', h.bucket, '2000-01-02 17:00+00') AS bucket,
                           (array_agg(h.open ORDER BY h.bucket))[1] AS open, max(h.high) AS high, min(h.low) AS low,
                           (array_agg(h.close ORDER BY h.bucket DESC))[1] AS close, sum(h.volume)::bigint AS volume
                      FROM (
                        SELECT m.bucket, m.open, m.high, m.low, m.close, m.volume
                          FROM market_candles_1h_materialized m
                         WHERE m.symbol = s.symbol AND m.bucket >= $9 AND m.bucket < $7 AND m.bucket < $5
                        UNION ALL
                        SELECT date_bin('1 hour', c.time, '2000-01-03 00:00+00'),
                               (array_agg(c.open ORDER BY c.time))[1], max(c.high), min(c.low),
                               (array_agg(c.close ORDER BY c.time DESC))[1], sum(c.volume)::bigint
                          FROM market_candles c
                         WHERE c.symbol = s.symbol AND c.time >= $6 AND c.time < $7
                         GROUP BY 1) AS h
                     GROUP BY 1) AS l
                 WHERE l.bucket >= $2 AND l.bucket < $3
                   AND NOT EXISTS (SELECT 1 FROM market_candles_eod e WHERE e.symbol = s.symbol AND e.time = l.bucket)
                UNION ALL
                (SELECT e.time, e.open, e.high, e.low, e.close, e.volume
                   FROM market_candles_eod e
                  WHERE e.symbol = s.symbol AND e.time >= $2 AND e.time < $3
                  ORDER BY e.time DESC LIMIT $4)
            ) AS x
            ORDER BY x.bucket DESC LIMIT $4) AS b
         ORDER BY s.n, b.bucket DESC
    $q$ USING p_symbols, p_from, p_to, p_limit, wm, greatest(p_from, wm), p_to + interval '24 hours',
              dwm, greatest(p_from, dwm);
END;
$fn$;
--> statement-breakpoint
-- market_candles_1h_range for many symbols at once (see market_candles_1d_many).
CREATE FUNCTION market_candles_1h_many(p_symbols text[], p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (symbol text, bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    wm timestamptz;
BEGIN
    SELECT w.watermark INTO wm FROM market_candles_1h_watermark w;
    RETURN QUERY EXECUTE $q$
        SELECT s.symbol, b.bucket, b.open, b.high, b.low, b.close, b.volume
          FROM unnest($1::text[]) WITH ORDINALITY AS s(symbol, n)
         CROSS JOIN LATERAL (
            SELECT x.bucket, x.open, x.high, x.low, x.close, x.volume FROM (
                (SELECT m.bucket, m.open, m.high, m.low, m.close, m.volume
                   FROM market_candles_1h_materialized m
                  WHERE m.symbol = s.symbol AND m.bucket >= $2 AND m.bucket < $3 AND m.bucket < $5
                  ORDER BY m.bucket DESC LIMIT $4)
                UNION ALL
                (SELECT l.bucket, l.open, l.high, l.low, l.close, l.volume FROM (
                    SELECT date_bin('1 hour', c.time, '2000-01-03 00:00+00') AS bucket,
                           (array_agg(c.open ORDER BY c.time))[1] AS open, max(c.high) AS high, min(c.low) AS low,
                           (array_agg(c.close ORDER BY c.time DESC))[1] AS close, sum(c.volume)::bigint AS volume
                      FROM market_candles c
                     WHERE c.symbol = s.symbol AND c.time >= $6 AND c.time < $7
                     GROUP BY 1) AS l
                  WHERE l.bucket >= $2 AND l.bucket < $3)
            ) AS x
            ORDER BY x.bucket DESC LIMIT $4) AS b
         ORDER BY s.n, b.bucket DESC
    $q$ USING p_symbols, p_from, p_to, p_limit, wm, greatest(p_from, wm), p_to + interval '1 hour';
END;
$fn$;
--> statement-breakpoint
-- The market snapshot's figures (lib/market/snapshot.ts) in one statement: VNINDEX's last close and
-- the close before its day; the latest bar of the market's stocks (1-minute or end-of-day, the last
-- 31 days first, then everything) and that session's traded value, Σ close × volume of each stock's
-- 1-minute bars (from the daily rollup, the hourly one, and the minutes above the watermark), or of
-- its end-of-day bar on a day it has no 1-minute bars.
CREATE FUNCTION market_snapshot(p_market text, p_now timestamptz)
RETURNS TABLE (vn_close double precision, vn_at timestamptz, vn_previous double precision, latest timestamptz, value numeric)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    wm    timestamptz;
    dwm   timestamptz;
    since timestamptz;
    d     timestamptz;
BEGIN
    SELECT l.close, l.at INTO vn_close, vn_at
      FROM market_candles_last_close_before('VNINDEX', p_now + interval '48 hours') AS l;
    IF vn_at IS NOT NULL THEN
        SELECT l.close INTO vn_previous
          FROM market_candles_last_close_before('VNINDEX', date_bin('1 day', vn_at, '2000-01-02 17:00+00')) AS l;
    END IF;
    FOREACH since IN ARRAY ARRAY[p_now - interval '744 hours', '-infinity'::timestamptz] LOOP
        EXECUTE $q$
            SELECT max(x.t) FROM (
                (SELECT c.time AS t FROM market_candles c
                  WHERE c.time >= $2
                    AND EXISTS (SELECT 1 FROM market_symbols s WHERE s.symbol = c.symbol AND s.kind = 'stock' AND s.exchange = $1)
                  ORDER BY c.time DESC LIMIT 1)
                UNION ALL
                (SELECT e.time FROM market_candles_eod e
                  WHERE e.time >= $2
                    AND EXISTS (SELECT 1 FROM market_symbols s WHERE s.symbol = e.symbol AND s.kind = 'stock' AND s.exchange = $1)
                  ORDER BY e.time DESC LIMIT 1)) AS x
        $q$ INTO latest USING p_market, since;
        EXIT WHEN latest IS NOT NULL;
    END LOOP;
    IF latest IS NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT w.watermark INTO wm FROM market_candles_1h_watermark w;
    dwm := market_candles_day_watermark(wm);
    d := date_bin('1 day', latest, '2000-01-02 17:00+00');
    EXECUTE $q$
        WITH stocks AS (SELECT s.symbol FROM market_symbols s WHERE s.kind = 'stock' AND s.exchange = $1),
        intraday AS (
            SELECT x.symbol, sum(x.value) AS value FROM (
                SELECT r.symbol, r.value FROM stocks s JOIN market_candles_1d_materialized r ON r.symbol = s.symbol
                 WHERE r.bucket = $2 AND $2 < $5
                UNION ALL
                SELECT r.symbol, r.value FROM stocks s JOIN market_candles_1h_materialized r ON r.symbol = s.symbol
                 WHERE r.bucket >= $6 AND r.bucket < $7
                UNION ALL
                SELECT c.symbol, c.close::numeric * c.volume FROM market_candles c
                 WHERE c.time >= $8 AND c.time < $3 AND c.symbol IN (SELECT symbol FROM stocks)
            ) AS x GROUP BY x.symbol
        ), eod AS (
            SELECT e.symbol, e.close::numeric * e.volume AS value FROM market_candles_eod e
             WHERE e.time = $2 AND e.symbol IN (SELECT symbol FROM stocks)
        )
        SELECT COALESCE(sum(COALESCE(i.value, e.value)), 0) FROM intraday i FULL JOIN eod e ON e.symbol = i.symbol
    $q$ INTO value USING p_market, d, d + interval '24 hours', wm, dwm,
                         greatest(d, dwm), least(d + interval '24 hours', wm), greatest(d, wm);
    RETURN NEXT;
END;
$fn$;
