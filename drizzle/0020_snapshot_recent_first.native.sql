-- The market snapshot's search for the market's latest bar: the last 96 hours first, as 0019 does for the
-- last close (bench:candles: the snapshot without cache about 400 → 550 requests/s). The answer is the
-- same: a bar found in a later window is later than any bar of the earlier ones.
CREATE OR REPLACE FUNCTION market_snapshot(p_market text, p_now timestamptz)
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
