-- Reading one symbol's window of 1h and 1D candles: the same functions, with the same results, as
-- 0003_candle_reads.native.sql (see there). With TimescaleDB the views are already fast to read
-- (chunk exclusion happens at run time, and the continuous aggregates carry their own watermark), so
-- these are the views' queries, named.
CREATE OR REPLACE FUNCTION market_candles_1h_range(p_symbol text, p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE sql STABLE AS $fn$
    SELECT v.bucket, v.open, v.high, v.low, v.close, v.volume FROM market_candles_1h v
     WHERE v.symbol = p_symbol AND v.bucket >= p_from AND v.bucket < p_to
     ORDER BY v.bucket DESC LIMIT p_limit
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION market_candles_1d_range(p_symbol text, p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE sql STABLE AS $fn$
    SELECT v.bucket, v.open, v.high, v.low, v.close, v.volume FROM market_candles_1d v
     WHERE v.symbol = p_symbol AND v.bucket >= p_from AND v.bucket < p_to
     ORDER BY v.bucket DESC LIMIT p_limit
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION market_candles_exist_before(p_symbol text, p_before timestamptz, p_eod boolean)
RETURNS boolean LANGUAGE sql STABLE AS $fn$
    SELECT EXISTS (SELECT 1 FROM market_candles WHERE symbol = p_symbol AND time < p_before)
        OR (p_eod AND EXISTS (SELECT 1 FROM market_candles_eod WHERE symbol = p_symbol AND time < p_before))
$fn$;
--> statement-breakpoint
-- The last close of a symbol before an instant: its latest 1-minute bar or its latest end-of-day bar,
-- whichever is later (an end-of-day bar counts as the end of its day, 23:59); `at` is the bar's own
-- time. Looks in the last 31 days first (a session is never further back from the next one: Tết
-- closes about nine days), which skips the older partitions, then, if that found nothing, everywhere.
-- The reference price of the candle API's day limits and of the market snapshot. The same function
-- as on the native shape: chunks are skipped alike.
CREATE OR REPLACE FUNCTION market_candles_last_close_before(p_symbol text, p_before timestamptz)
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
