-- Speed where analysts wait (issue 14), TimescaleDB shape: the same functions, with the same answers,
-- as 0016_candle_speed.native.sql. The daily rollup already is a continuous aggregate here
-- (market_candles_1d_intraday, hierarchical on market_candles_1h), so only the reads are added.
--   market_candles_1h_many / market_candles_1d_many   the last N bars (or a window) of many symbols in
--                        one statement, from the views (chunks are excluded at run time here).
--   market_snapshot      the snapshot's figures in one statement. The continuous aggregates carry no
--                        traded value (Σ close × volume), so the session's value is summed from its
--                        1-minute bars, in the same statement.
--   market_candles_eod_time_idx   the latest end-of-day bar of a market without a probe per symbol.
CREATE INDEX market_candles_eod_time_idx ON market_candles_eod (time DESC);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION market_candles_1d_many(p_symbols text[], p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (symbol text, bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE sql STABLE AS $fn$
    SELECT s.symbol, b.bucket, b.open, b.high, b.low, b.close, b.volume
      FROM unnest(p_symbols) WITH ORDINALITY AS s(symbol, n)
     CROSS JOIN LATERAL (
        SELECT v.bucket, v.open, v.high, v.low, v.close, v.volume FROM market_candles_1d v
         WHERE v.symbol = s.symbol AND v.bucket >= p_from AND v.bucket < p_to
         ORDER BY v.bucket DESC LIMIT p_limit) AS b
     ORDER BY s.n, b.bucket DESC
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION market_candles_1h_many(p_symbols text[], p_from timestamptz, p_to timestamptz, p_limit integer)
RETURNS TABLE (symbol text, bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume bigint)
LANGUAGE sql STABLE AS $fn$
    SELECT s.symbol, b.bucket, b.open, b.high, b.low, b.close, b.volume
      FROM unnest(p_symbols) WITH ORDINALITY AS s(symbol, n)
     CROSS JOIN LATERAL (
        SELECT v.bucket, v.open, v.high, v.low, v.close, v.volume FROM market_candles_1h v
         WHERE v.symbol = s.symbol AND v.bucket >= p_from AND v.bucket < p_to
         ORDER BY v.bucket DESC LIMIT p_limit) AS b
     ORDER BY s.n, b.bucket DESC
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION market_snapshot(p_market text, p_now timestamptz)
RETURNS TABLE (vn_close double precision, vn_at timestamptz, vn_previous double precision, latest timestamptz, value numeric)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
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
    d := date_bin('1 day', latest, '2000-01-02 17:00+00');
    EXECUTE $q$
        WITH stocks AS (SELECT s.symbol FROM market_symbols s WHERE s.kind = 'stock' AND s.exchange = $1),
        intraday AS (
            SELECT c.symbol, sum(c.close::numeric * c.volume) AS value FROM market_candles c
             WHERE c.time >= $2 AND c.time < $3 AND c.symbol IN (SELECT symbol FROM stocks)
             GROUP BY c.symbol
        ), eod AS (
            SELECT e.symbol, e.close::numeric * e.volume AS value FROM market_candles_eod e
             WHERE e.time = $2 AND e.symbol IN (SELECT symbol FROM stocks)
        )
        SELECT COALESCE(sum(COALESCE(i.value, e.value)), 0) FROM intraday i FULL JOIN eod e ON e.symbol = i.symbol
    $q$ INTO value USING p_market, d, d + interval '24 hours';
    RETURN NEXT;
END;
$fn$;
