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
