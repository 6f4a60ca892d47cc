-- The last four days first (issue 14): the latest close before an instant was looked for in the last 31
-- days first, then everywhere. Planning those 31 days' five or six weekly partitions (or chunks) cost more
-- than reading them: with a first look at the last 96 hours (a weekend and a holiday), the planner sees
-- one or two, and the chart's limits, the board and the snapshot's VN-Index get cheaper. The same function
-- on both shapes. The answer is the same: a bar found in a later window is later than any of the earlier.
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
    RETURN QUERY EXECUTE q USING p_symbol, p_before, p_before - interval '96 hours';
    IF NOT FOUND THEN
        RETURN QUERY EXECUTE q USING p_symbol, p_before, p_before - interval '744 hours';
    END IF;
    IF NOT FOUND THEN
        RETURN QUERY EXECUTE q USING p_symbol, p_before, '-infinity'::timestamptz;
    END IF;
END;
$fn$;
