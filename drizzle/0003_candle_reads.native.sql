-- Reading one symbol's window of 1h and 1D candles fast; the same functions, with the same results,
-- as 0003_candle_reads.timescale.sql. Each returns the bars whose bucket is in [p_from, p_to), newest
-- first, at most p_limit of them (NULL: all), exactly as
--   SELECT … FROM market_candles_1h / market_candles_1d
--    WHERE symbol = p_symbol AND bucket >= p_from AND bucket < p_to ORDER BY bucket DESC LIMIT p_limit
-- would; two more say whether a symbol has any bar before an instant and what its last close before
-- an instant was.
--
-- Why functions and not the views: market_candles_1h's live part is bounded by a subquery (the
-- watermark), which the planner cannot prune partitions with, so every read of the views planned all
-- weekly partitions of market_candles with their indexes, and market_candles_1d probed them once per
-- end-of-day bar. Here the watermark is read first, then the query runs through EXECUTE … USING:
-- its bounds are constants when it is planned, and only the partitions of the window are planned and
-- read (the materialised hours come from their primary key's range).
CREATE FUNCTION market_candles_1h_range(p_symbol text, p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    wm timestamptz;
BEGIN
    SELECT w.watermark INTO wm FROM market_candles_1h_watermark w;
    -- Below the watermark: materialised rows. From it on: hours aggregated from the 1-minute bars
    -- (the watermark is a whole hour, so a bucket is on one side only). A bucket starting before
    -- p_to may hold bars up to an hour later; buckets starting before p_from are dropped whole.
    -- Every bound is a parameter (not an expression of one), so the planner prunes with it.
    RETURN QUERY EXECUTE $q$
        SELECT b.bucket, b.open, b.high, b.low, b.close, b.volume FROM (
            (SELECT m.bucket, m.open, m.high, m.low, m.close, m.volume
               FROM market_candles_1h_materialized m
              WHERE m.symbol = $1 AND m.bucket >= $2 AND m.bucket < $3 AND m.bucket < $5
              ORDER BY m.bucket DESC LIMIT $4)
            UNION ALL
            (SELECT l.bucket, l.open, l.high, l.low, l.close, l.volume FROM (
                SELECT date_bin('1 hour', c.time, '2000-01-03 00:00+00') AS bucket,
                       (array_agg(c.open ORDER BY c.time))[1] AS open, max(c.high) AS high, min(c.low) AS low,
                       (array_agg(c.close ORDER BY c.time DESC))[1] AS close, sum(c.volume)::bigint AS volume
                  FROM market_candles c
                 WHERE c.symbol = $1 AND c.time >= $6 AND c.time < $7
                 GROUP BY 1) AS l
              WHERE l.bucket >= $2 AND l.bucket < $3)
        ) AS b
        ORDER BY b.bucket DESC LIMIT $4
    $q$ USING p_symbol, p_from, p_to, p_limit, wm, greatest(p_from, wm), p_to + interval '1 hour';
END;
$fn$;
--> statement-breakpoint
-- Days from the hours of the same two sources, then the end-of-day bars of days without 1-minute bars,
-- with market_candles_1d's rule: an end-of-day bar at e.time is left out when any 1-minute bar of the
-- symbol is in [e.time, e.time + 1 day), however few (a day with minute bars only partly is the
-- intraday day alone); an hour still materialised after its minute bars were deleted (invalidated,
-- not yet refreshed) keeps its day, and the end-of-day bar then shows too, as in the view.
-- The view probes market_candles once per end-of-day bar; here the probe is planned for the
-- partitions between the first and the last 1-minute bar near the window's end-of-day bars, and run
-- only for the end-of-day bars in that span: usually a day or none, EOD history being older than the
-- minute history.
CREATE FUNCTION market_candles_1d_range(p_symbol text, p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    wm          timestamptz;
    eod_first   timestamptz;
    eod_last    timestamptz;
    bar_first   timestamptz;
    bar_last    timestamptz;
BEGIN
    SELECT w.watermark INTO wm FROM market_candles_1h_watermark w;
    SELECT min(e.time), max(e.time) INTO eod_first, eod_last
      FROM market_candles_eod e WHERE e.symbol = p_symbol AND e.time >= p_from AND e.time < p_to;
    IF eod_first IS NOT NULL THEN
        -- 48 hours: more than `+ interval '1 day'` in any session time zone.
        EXECUTE 'SELECT min(time), max(time) FROM market_candles WHERE symbol = $1 AND time >= $2 AND time < $3'
           INTO bar_first, bar_last USING p_symbol, eod_first, eod_last + interval '48 hours';
    END IF;
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
              FROM days d WHERE d.bucket >= $2 AND d.bucket < $3
            UNION ALL
            SELECT e.time, e.open, e.high, e.low, e.close, e.volume
              FROM market_candles_eod e
             WHERE e.symbol = $1 AND e.time >= $2 AND e.time < $3
               AND ($8::timestamptz IS NULL OR e.time + interval '1 day' <= $8 OR e.time > $9
                    OR NOT EXISTS (SELECT 1 FROM market_candles c
                                    WHERE c.symbol = $1 AND c.time >= e.time AND c.time < e.time + interval '1 day'
                                      AND c.time >= $8 AND c.time <= $9))
        ) AS b
        ORDER BY b.bucket DESC LIMIT $4
    $q$ USING p_symbol, p_from, p_to, p_limit, wm, greatest(p_from, wm), p_to + interval '24 hours',
              bar_first, bar_last;
END;
$fn$;
--> statement-breakpoint
-- Whether the symbol has any 1-minute bar (or, with p_eod, end-of-day bar) before p_before: the
-- candle API's hasMore. Through EXECUTE for the same reason: only the partitions before p_before.
CREATE FUNCTION market_candles_exist_before(p_symbol text, p_before timestamptz, p_eod boolean)
RETURNS boolean LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    found_one boolean;
BEGIN
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM market_candles WHERE symbol = $1 AND time < $2)'
       INTO found_one USING p_symbol, p_before;
    IF NOT found_one AND p_eod THEN
        SELECT EXISTS (SELECT 1 FROM market_candles_eod e WHERE e.symbol = p_symbol AND e.time < p_before)
          INTO found_one;
    END IF;
    RETURN found_one;
END;
$fn$;
--> statement-breakpoint
-- The last close of a symbol before an instant: its latest 1-minute bar or its latest end-of-day bar,
-- whichever is later (an end-of-day bar counts as the end of its day, 23:59); `at` is the bar's own
-- time. Looks in the last 31 days first (a session is never further back from the next one: Tết
-- closes about nine days), which skips the older partitions, then, if that found nothing, everywhere.
-- The reference price of the candle API's day limits and of the market snapshot.
CREATE FUNCTION market_candles_last_close_before(p_symbol text, p_before timestamptz)
RETURNS TABLE (close double precision, at timestamptz)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    q constant text := $q$
        SELECT p.close, p.at FROM (
            (SELECT c.close, c.time AS t, c.time AS at FROM market_candles c
              WHERE c.symbol = $1 AND c.time < $2 AND c.time >= $3 ORDER BY c.time DESC LIMIT 1)
            UNION ALL
            (SELECT e.close, e.time + interval '1 day' - interval '1 minute', e.time FROM market_candles_eod e
              WHERE e.symbol = $1 AND e.time < $2 AND e.time >= $3 ORDER BY e.time DESC LIMIT 1)
        ) AS p ORDER BY p.t DESC LIMIT 1
    $q$;
BEGIN
    RETURN QUERY EXECUTE q USING p_symbol, p_before, p_before - interval '744 hours';
    IF NOT FOUND THEN
        RETURN QUERY EXECUTE q USING p_symbol, p_before, '-infinity'::timestamptz;
    END IF;
END;
$fn$;
