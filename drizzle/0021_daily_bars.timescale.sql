-- The chart's 1D read in one row (0021_daily_bars.native.sql stores the native shape's past days with their
-- JSON text; here the continuous aggregates serve them and the text is made when read).
--   market_candles_bar_json   one bar as the candle API's JSON text, [epoch ms, open, high, low, close, volume].
--   market_candles_1d_series  market_candles_1d_range's window as one row: its bars' JSON newest first,
--                             how many, the oldest and the newest bucket.
CREATE FUNCTION market_candles_bar_json(t timestamptz, o double precision, h double precision, l double precision,
                                        c double precision, v bigint)
RETURNS text LANGUAGE sql STABLE AS $fn$
    SELECT '[' || concat_ws(',', date_part('epoch', t) * 1000, o, h, l, c, v) || ']'
$fn$;
--> statement-breakpoint
CREATE FUNCTION market_candles_1d_series(p_symbol text, p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (bars text, n bigint, oldest timestamptz, newest timestamptz)
LANGUAGE sql STABLE AS $fn$
    SELECT '[' || string_agg(market_candles_bar_json(r.bucket, r.open, r.high, r.low, r.close, r.volume), ',' ORDER BY r.bucket DESC) || ']',
           count(*), min(r.bucket), max(r.bucket)
      FROM market_candles_1d_range(p_symbol, p_from, p_to, p_limit) AS r
$fn$;
