-- The market snapshot's search for the market's latest bar: the last 96 hours first, as 0019 does for the
-- last close (bench:candles: the snapshot without cache about 400 → 550 requests/s). The answer is the
-- same: a bar found in a later window is later than any bar of the earlier ones.
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
    FOREACH since IN ARRAY ARRAY[p_now - interval '96 hours', p_now - interval '744 hours', '-infinity'::timestamptz] LOOP
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
