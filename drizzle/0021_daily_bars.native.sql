-- The 1D bars as a chart reads them, stored (issue 14: 1D over five years at 20× raw aggregation), native
-- shape; 0021_daily_bars.timescale.sql gives the same answers from the continuous aggregates.
--   market_candles_bar_json  one bar as the candle API's JSON text, [epoch ms, open, high, low, close, volume]
--                        (PostgreSQL's float8 text: the shortest that reads back as the same double).
--   market_candles_1d_bars  for every day below the day watermark, the bar market_candles_1d shows: the
--                        official end-of-day bar where one is stored, else the day materialised from the
--                        hours (market_candles_1d_materialized), with its JSON text. A read of past days is
--                        one backward scan of the primary key, which carries the bar (index-only once
--                        vacuumed), instead of a bitmap scan of the days, a probe of market_candles_eod per
--                        day, a sort of the end-of-day bars and a number-to-text conversion per value (a
--                        third of the read). Days from the day watermark on are aggregated when read, as before.
--   kept by              the refresh (the days it re-aggregates or materialises) and a trigger on
--                        market_candles_eod (an official bar written, changed or removed below the day
--                        watermark); the trigger takes the watermark row FOR SHARE as the 1-minute
--                        writers do, so a refresh never moves the day watermark past a write it missed.
--   market_candles_1d_series  a 1D window as the candle API sends it, in one row: the newest bars' JSON
--                        (newest first), how many, the oldest and the newest. The chart's read; it moves
--                        the stored text, not 1,246 rows through two functions.
CREATE FUNCTION market_candles_bar_json(t timestamptz, o double precision, h double precision, l double precision,
                                        c double precision, v bigint)
RETURNS text LANGUAGE sql STABLE AS $fn$
    SELECT '[' || concat_ws(',', date_part('epoch', t) * 1000, o, h, l, c, v) || ']'
$fn$;
--> statement-breakpoint
CREATE TABLE market_candles_1d_bars (
    symbol      TEXT              NOT NULL,
    bucket      TIMESTAMPTZ       NOT NULL,
    open        DOUBLE PRECISION  NOT NULL,
    high        DOUBLE PRECISION  NOT NULL,
    low         DOUBLE PRECISION  NOT NULL,
    close       DOUBLE PRECISION  NOT NULL,
    volume      BIGINT            NOT NULL,
    bar         TEXT              NOT NULL,
    CONSTRAINT market_candles_1d_bars_pkey PRIMARY KEY (symbol, bucket) INCLUDE (open, high, low, close, volume, bar)
)
-- Vacuumed after a few thousand new days rather than a fifth of the table: index-only reads need the
-- visibility map, and a day's refresh adds one row per symbol.
WITH (autovacuum_vacuum_insert_threshold = 2000, autovacuum_vacuum_insert_scale_factor = 0);
--> statement-breakpoint
-- The stored bars of the given (symbol, day) pairs below the day watermark made what market_candles_1d
-- shows: the end-of-day bar, else the materialised day, else no row.
CREATE FUNCTION market_candles_1d_bars_sync(p_symbols text[], p_days timestamptz[], p_dwm timestamptz)
RETURNS void LANGUAGE sql VOLATILE AS $fn$
    WITH pairs AS (
        SELECT DISTINCT u.symbol, u.bucket FROM unnest(p_symbols, p_days) AS u(symbol, bucket) WHERE u.bucket < p_dwm
    ), wanted AS MATERIALIZED (
        SELECT p.symbol, p.bucket, (e.symbol IS NOT NULL OR d.symbol IS NOT NULL) AS present,
               -- The end-of-day bar's columns are NOT NULL: where it is, COALESCE takes all of them.
               COALESCE(e.open, d.open) AS open, COALESCE(e.high, d.high) AS high, COALESCE(e.low, d.low) AS low,
               COALESCE(e.close, d.close) AS close, COALESCE(e.volume, d.volume) AS volume
          FROM pairs p
          LEFT JOIN market_candles_eod e ON e.symbol = p.symbol AND e.time = p.bucket
          LEFT JOIN market_candles_1d_materialized d ON d.symbol = p.symbol AND d.bucket = p.bucket
    ), gone AS (
        DELETE FROM market_candles_1d_bars b USING wanted w
         WHERE NOT w.present AND b.symbol = w.symbol AND b.bucket = w.bucket
    )
    INSERT INTO market_candles_1d_bars (symbol, bucket, open, high, low, close, volume, bar)
    SELECT symbol, bucket, open, high, low, close, volume, market_candles_bar_json(bucket, open, high, low, close, volume)
      FROM wanted WHERE present
    ON CONFLICT (symbol, bucket) DO UPDATE
       SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume,
           bar = EXCLUDED.bar;
$fn$;
--> statement-breakpoint
-- The days in [p_lo, p_hi) of every symbol, as the day watermark passes them: the materialised days without
-- an end-of-day bar, and the end-of-day bars.
CREATE FUNCTION market_candles_1d_bars_fill(p_lo timestamptz, p_hi timestamptz)
RETURNS void LANGUAGE sql VOLATILE AS $fn$
    INSERT INTO market_candles_1d_bars (symbol, bucket, open, high, low, close, volume, bar)
    SELECT x.symbol, x.bucket, x.open, x.high, x.low, x.close, x.volume,
           market_candles_bar_json(x.bucket, x.open, x.high, x.low, x.close, x.volume) FROM (
        SELECT d.symbol, d.bucket, d.open, d.high, d.low, d.close, d.volume
          FROM market_candles_1d_materialized d
         WHERE d.bucket >= p_lo AND d.bucket < p_hi
           AND NOT EXISTS (SELECT 1 FROM market_candles_eod e WHERE e.symbol = d.symbol AND e.time = d.bucket)
        UNION ALL
        SELECT e.symbol, e.time, e.open, e.high, e.low, e.close, e.volume
          FROM market_candles_eod e
         WHERE e.time >= p_lo AND e.time < p_hi
    ) AS x
    -- One symbol's days side by side in the heap: a read's few pages.
    ORDER BY x.symbol, x.bucket
    ON CONFLICT (symbol, bucket) DO UPDATE
       SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume,
           bar = EXCLUDED.bar;
$fn$;
--> statement-breakpoint
SELECT market_candles_1d_bars_fill('-infinity',
                                   market_candles_day_watermark((SELECT watermark FROM market_candles_1h_watermark)));
--> statement-breakpoint
-- An official bar written, changed or removed below the day watermark: its day's stored bar follows.
CREATE FUNCTION market_candles_1d_bars_official() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    dwm     timestamptz;
    symbols text[];
    days    timestamptz[];
BEGIN
    SELECT market_candles_day_watermark(watermark) INTO dwm FROM market_candles_1h_watermark FOR SHARE;
    IF dwm = '-infinity' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(symbol), array_agg(time) INTO symbols, days FROM new_rows WHERE time < dwm;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(symbol), array_agg(time) INTO symbols, days
          FROM (SELECT symbol, time FROM new_rows WHERE time < dwm UNION SELECT symbol, time FROM old_rows WHERE time < dwm) AS r;
    ELSE
        SELECT array_agg(symbol), array_agg(time) INTO symbols, days FROM old_rows WHERE time < dwm;
    END IF;
    IF symbols IS NOT NULL THEN
        PERFORM market_candles_1d_bars_sync(symbols, days, dwm);
    END IF;
    RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER market_candles_1d_bars_after_insert AFTER INSERT ON market_candles_eod
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION market_candles_1d_bars_official();
--> statement-breakpoint
CREATE TRIGGER market_candles_1d_bars_after_update AFTER UPDATE ON market_candles_eod
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION market_candles_1d_bars_official();
--> statement-breakpoint
CREATE TRIGGER market_candles_1d_bars_after_delete AFTER DELETE ON market_candles_eod
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION market_candles_1d_bars_official();
--> statement-breakpoint
-- Every official bar gone: the stored days are the materialised ones again.
CREATE FUNCTION market_candles_1d_bars_official_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM market_candles_1h_watermark FOR SHARE;
    TRUNCATE market_candles_1d_bars;
    PERFORM market_candles_1d_bars_fill('-infinity',
                                        market_candles_day_watermark((SELECT watermark FROM market_candles_1h_watermark)));
    RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER market_candles_1d_bars_after_truncate AFTER TRUNCATE ON market_candles_eod
    FOR EACH STATEMENT EXECUTE FUNCTION market_candles_1d_bars_official_reset();
--> statement-breakpoint
-- 0016's reset, plus the stored bars (the day watermark goes back to -infinity: none is below it).
CREATE OR REPLACE FUNCTION market_candles_1h_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE market_candles_1h_materialized, market_candles_1d_materialized, market_candles_1d_bars,
             market_candles_1h_invalidations;
    UPDATE market_candles_1h_watermark SET watermark = '-infinity';
    RETURN NULL;
END;
$$;
--> statement-breakpoint
-- 0016's refresh, plus the stored bars: the days it re-aggregates made over (an end-of-day bar still wins),
-- and the days between the old and the new day watermark stored.
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

        -- And their stored bars (a statement of its own: it reads the days just written).
        PERFORM market_candles_1d_bars_sync(
            array_agg(u.symbol), array_agg(date_bin('1 day', u.bucket, '2000-01-02 17:00+00')), old_dwm)
          FROM unnest(symbols, buckets) AS u(symbol, bucket)
         WHERE u.bucket < old_dwm
        HAVING count(*) > 0;
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
        PERFORM market_candles_1d_bars_fill(old_dwm, new_dwm);
    END IF;
    RETURN written;
END;
$$;
--> statement-breakpoint
-- Days from the day watermark on (p_dwm; p_wm the hourly watermark) of one symbol's window: aggregated from
-- the materialised hours and, above the hourly watermark, the 1-minute bars, less the days with an
-- end-of-day bar; then the end-of-day bars. Usually today alone.
-- Planned once per connection (a generic plan; the partitions of market_candles outside the window are
-- skipped when it runs): planning it for every read, as EXECUTE did, took most of a 1D read's time.
CREATE FUNCTION market_candles_1d_recent(p_symbol text, p_from timestamptz, p_to timestamptz, p_wm timestamptz, p_dwm timestamptz)
RETURNS TABLE (bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
    lo  timestamptz := greatest(p_from, p_dwm);
    hi  timestamptz := p_to + interval '24 hours';
    mlo timestamptz := greatest(p_from, p_wm);
BEGIN
    RETURN QUERY
        SELECT l.bucket, l.open, l.high, l.low, l.close, l.volume FROM (
            SELECT date_bin('1 day', h.bucket, '2000-01-02 17:00+00') AS bucket,
                   (array_agg(h.open ORDER BY h.bucket))[1] AS open, max(h.high) AS high, min(h.low) AS low,
                   (array_agg(h.close ORDER BY h.bucket DESC))[1] AS close, sum(h.volume)::bigint AS volume
              FROM (
                SELECT m.bucket, m.open, m.high, m.low, m.close, m.volume
                  FROM market_candles_1h_materialized m
                 WHERE m.symbol = p_symbol AND m.bucket >= lo AND m.bucket < hi AND m.bucket < p_wm
                UNION ALL
                SELECT date_bin('1 hour', c.time, '2000-01-03 00:00+00'),
                       (array_agg(c.open ORDER BY c.time))[1], max(c.high), min(c.low),
                       (array_agg(c.close ORDER BY c.time DESC))[1], sum(c.volume)::bigint
                  FROM market_candles c
                 WHERE c.symbol = p_symbol AND c.time >= mlo AND c.time < hi
                 GROUP BY 1) AS h
             GROUP BY 1) AS l
         WHERE l.bucket >= lo AND l.bucket < p_to
           AND NOT EXISTS (SELECT 1 FROM market_candles_eod e WHERE e.symbol = p_symbol AND e.time = l.bucket)
        UNION ALL
        SELECT e.time, e.open, e.high, e.low, e.close, e.volume
          FROM market_candles_eod e
         WHERE e.symbol = p_symbol AND e.time >= lo AND e.time < p_to;
END;
$fn$;
--> statement-breakpoint
-- 0003's probe for older bars, planned once per connection as market_candles_1d_recent is (the probe of
-- every partition before an instant was planned anew for each read).
CREATE OR REPLACE FUNCTION market_candles_exist_before(p_symbol text, p_before timestamptz, p_eod boolean)
RETURNS boolean LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
BEGIN
    RETURN EXISTS (SELECT 1 FROM market_candles c WHERE c.symbol = p_symbol AND c.time < p_before)
        OR (p_eod AND EXISTS (SELECT 1 FROM market_candles_eod e WHERE e.symbol = p_symbol AND e.time < p_before));
END;
$fn$;
--> statement-breakpoint
-- One symbol's window of days (0004's contract): the stored bars below the day watermark, the recent days
-- above it. Its statement is planned once per connection (a generic plan): planning it for every read
-- cost as much as reading five years of stored bars. market_candles_1d_series is the same union with the
-- stored text: one shared function would copy every row once more between the two (about a tenth of a
-- 1D read), so each spells it; change them together.
CREATE OR REPLACE FUNCTION market_candles_1d_range(p_symbol text, p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
    wm  timestamptz;
    dwm timestamptz;
BEGIN
    SELECT w.watermark INTO wm FROM market_candles_1h_watermark w;
    dwm := market_candles_day_watermark(wm);
    RETURN QUERY
        SELECT x.bucket, x.open, x.high, x.low, x.close, x.volume FROM (
            (SELECT b.bucket, b.open, b.high, b.low, b.close, b.volume
               FROM market_candles_1d_bars b
              WHERE b.symbol = p_symbol AND b.bucket >= p_from AND b.bucket < p_to AND b.bucket < dwm
              ORDER BY b.bucket DESC LIMIT p_limit)
            UNION ALL
            SELECT r.bucket, r.open, r.high, r.low, r.close, r.volume
              FROM market_candles_1d_recent(p_symbol, p_from, p_to, wm, dwm) AS r
             WHERE p_to > dwm
        ) AS x
        ORDER BY x.bucket DESC LIMIT p_limit;
END;
$fn$;
--> statement-breakpoint
-- market_candles_1d_range's window as one row: its bars' JSON text newest first (the stored text below the
-- day watermark), how many, the oldest and the newest bucket; no bars: NULL text, 0, NULL, NULL. The
-- parity test holds it to market_candles_1d_range on every window.
CREATE FUNCTION market_candles_1d_series(p_symbol text, p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (bars text, n bigint, oldest timestamptz, newest timestamptz)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
    wm  timestamptz;
    dwm timestamptz;
BEGIN
    SELECT w.watermark INTO wm FROM market_candles_1h_watermark w;
    dwm := market_candles_day_watermark(wm);
    RETURN QUERY
        -- Newest first, as the rows come: the sort finds them in order.
        SELECT '[' || string_agg(y.bar, ',' ORDER BY y.bucket DESC) || ']', count(*), min(y.bucket), max(y.bucket) FROM (
            SELECT x.bucket, x.bar FROM (
                (SELECT b.bucket, b.bar
                   FROM market_candles_1d_bars b
                  WHERE b.symbol = p_symbol AND b.bucket >= p_from AND b.bucket < p_to AND b.bucket < dwm
                  ORDER BY b.bucket DESC LIMIT p_limit)
                UNION ALL
                SELECT r.bucket, market_candles_bar_json(r.bucket, r.open, r.high, r.low, r.close, r.volume)
                  FROM market_candles_1d_recent(p_symbol, p_from, p_to, wm, dwm) AS r
                 WHERE p_to > dwm
            ) AS x
            ORDER BY x.bucket DESC LIMIT p_limit) AS y;
END;
$fn$;
--> statement-breakpoint
-- 0016's many-symbol read on the stored bars below the day watermark.
CREATE OR REPLACE FUNCTION market_candles_1d_many(p_symbols text[], p_from timestamptz, p_to timestamptz, p_limit integer)
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
                   FROM market_candles_1d_bars d
                  WHERE d.symbol = s.symbol AND d.bucket >= $2 AND d.bucket < $3 AND d.bucket < $8
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
                  WHERE e.symbol = s.symbol AND e.time >= $9 AND e.time < $3
                  ORDER BY e.time DESC LIMIT $4)
            ) AS x
            ORDER BY x.bucket DESC LIMIT $4) AS b
         ORDER BY s.n, b.bucket DESC
    $q$ USING p_symbols, p_from, p_to, p_limit, wm, greatest(p_from, wm), p_to + interval '24 hours',
              dwm, greatest(p_from, dwm);
END;
$fn$;
