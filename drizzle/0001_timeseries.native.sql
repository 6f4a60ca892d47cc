-- The time-series layer on plain PostgreSQL (no timescaledb): the same names and the same candles as
-- 0001_timeseries.timescale.sql, built from native parts.
--   market_candles        1-minute bars, range-partitioned by week (Monday 00:00 UTC, i.e. 07:00 in
--                         Vietnam, before the open), partitions created ahead by
--                         market_candles_ensure_partitions(); a default partition catches the rest.
--   market_candles_1h     a view: materialised hours below a watermark + live aggregation above it,
--                         which is what Timescale's real-time continuous aggregate does.
--   market_candles_1d     Vietnamese trading days: aggregated from market_candles_1h where 1-minute
--                         bars exist, else the end-of-day bars of market_candles_eod.
-- Buckets follow time_bucket(): date_bin() with Timescale's origin 2000-01-03 00:00 UTC for hours,
-- and 00:00 in Asia/Ho_Chi_Minh (17:00 UTC, no daylight saving) for days; neither depends on the
-- session's TimeZone.
CREATE TABLE market_candles (
    time        TIMESTAMPTZ       NOT NULL,
    symbol      TEXT              NOT NULL,
    open        DOUBLE PRECISION  NOT NULL,
    high        DOUBLE PRECISION  NOT NULL,
    low         DOUBLE PRECISION  NOT NULL,
    close       DOUBLE PRECISION  NOT NULL,
    volume      BIGINT            NOT NULL,
    CONSTRAINT market_candles_time_symbol_key UNIQUE (time, symbol)
) PARTITION BY RANGE (time);
--> statement-breakpoint
CREATE INDEX market_candles_symbol_time_idx ON market_candles (symbol, time DESC);
--> statement-breakpoint
CREATE INDEX market_candles_time_idx ON market_candles (time DESC);
--> statement-breakpoint
-- The safety net for rows of a week nobody created a partition for; ensure_partitions moves them out.
CREATE TABLE market_candles_default PARTITION OF market_candles DEFAULT;
--> statement-breakpoint
-- Daily bars of years that have no 1-minute history (CSV imports, DNSE resolution D); time is
-- 00:00 in Vietnam of the trading day.
CREATE TABLE market_candles_eod (
    time        TIMESTAMPTZ       NOT NULL,
    symbol      TEXT              NOT NULL,
    open        DOUBLE PRECISION  NOT NULL,
    high        DOUBLE PRECISION  NOT NULL,
    low         DOUBLE PRECISION  NOT NULL,
    close       DOUBLE PRECISION  NOT NULL,
    volume      BIGINT            NOT NULL,
    CONSTRAINT market_candles_eod_pkey PRIMARY KEY (symbol, time)
);
--> statement-breakpoint
-- Which shape this database has; lib/market/ingest.ts asks before refreshing.
CREATE FUNCTION market_timeseries_engine() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'native' $$;
--> statement-breakpoint
-- Creates the weekly partitions holding the given instants (only those weeks, so one stray date cannot
-- create years of empty partitions). A new partition is built beside the table and then attached,
-- which locks market_candles in SHARE UPDATE EXCLUSIVE mode only: reads and writes go on meanwhile.
-- Rows the default partition already holds for that week are moved in first.
CREATE FUNCTION market_candles_ensure_partitions(instants timestamptz[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    week_start timestamptz;
    week_end   timestamptz;
    part       text;
    created    integer := 0;
BEGIN
    FOR week_start IN
        SELECT DISTINCT date_bin('7 days', i, '2000-01-03 00:00+00') FROM unnest(instants) AS i
         WHERE i IS NOT NULL AND isfinite(i) ORDER BY 1
    LOOP
        part := 'market_candles_p' || to_char(week_start AT TIME ZONE 'UTC', 'YYYYMMDD');
        CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
        -- Two ingests needing the same week: the second waits, then finds it made. A table lock (not an
        -- advisory one) because taking it also reads the catalog changes committed meanwhile, so the
        -- re-check sees the other session's partition. It does not block reads or row writes.
        LOCK TABLE ONLY market_candles IN SHARE UPDATE EXCLUSIVE MODE;
        CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
        -- Hours, not days: '7 days' would follow the session's daylight-saving changes.
        week_end := week_start + interval '168 hours';
        EXECUTE format('CREATE TABLE %I (LIKE market_candles INCLUDING DEFAULTS)', part);
        -- The bound as a CHECK lets ATTACH skip its validation scan.
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (time >= %L AND time < %L)',
                       part, part || '_bound', week_start, week_end);
        EXECUTE format('WITH moved AS (DELETE FROM market_candles_default WHERE time >= $1 AND time < $2 RETURNING *)
                        INSERT INTO %I SELECT * FROM moved', part)
            USING week_start, week_end;
        EXECUTE format('ALTER TABLE market_candles ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                       part, week_start, week_end);
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_bound');
        created := created + 1;
    END LOOP;
    RETURN created;
END;
$$;
--> statement-breakpoint
-- Partitions ahead of the data: this week and the next four.
SELECT market_candles_ensure_partitions(ARRAY(
    SELECT now() + make_interval(days => 7 * w) FROM generate_series(0, 4) AS w));
--> statement-breakpoint
-- ---------------------------------------------------------------- the 1-hour rollup
-- Complete hours below the watermark, kept by market_candles_1h_refresh().
CREATE TABLE market_candles_1h_materialized (
    bucket      TIMESTAMPTZ       NOT NULL,
    symbol      TEXT              NOT NULL,
    open        DOUBLE PRECISION  NOT NULL,
    high        DOUBLE PRECISION  NOT NULL,
    low         DOUBLE PRECISION  NOT NULL,
    close       DOUBLE PRECISION  NOT NULL,
    volume      BIGINT            NOT NULL,
    CONSTRAINT market_candles_1h_materialized_pkey PRIMARY KEY (symbol, bucket)
);
--> statement-breakpoint
-- One row: buckets before it are materialised, buckets from it on are aggregated when read.
CREATE TABLE market_candles_1h_watermark (
    id          BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    watermark   TIMESTAMPTZ NOT NULL
);
--> statement-breakpoint
INSERT INTO market_candles_1h_watermark (watermark) VALUES ('-infinity');
--> statement-breakpoint
-- (symbol, hour) pairs below the watermark that writes touched since the last refresh.
CREATE TABLE market_candles_1h_invalidations (
    symbol      TEXT        NOT NULL,
    bucket      TIMESTAMPTZ NOT NULL
);
--> statement-breakpoint
-- Statement-level, with transition tables: one pass per statement, not one call per row. Rows at or
-- above the watermark need nothing (they are read live). FOR SHARE on the watermark row makes a
-- refresh wait for writers that read the old watermark, and makes writers that come during a refresh
-- read the new one, so no write slips between a refresh's snapshot and its watermark.
CREATE FUNCTION market_candles_1h_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wm timestamptz;
BEGIN
    SELECT watermark INTO wm FROM market_candles_1h_watermark FOR SHARE;
    IF wm = '-infinity' THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO market_candles_1h_invalidations (symbol, bucket)
        SELECT DISTINCT symbol, date_bin('1 hour', time, '2000-01-03 00:00+00') FROM new_rows WHERE time < wm;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO market_candles_1h_invalidations (symbol, bucket)
        SELECT DISTINCT symbol, date_bin('1 hour', time, '2000-01-03 00:00+00') FROM old_rows WHERE time < wm;
    END IF;
    RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER market_candles_1h_after_insert AFTER INSERT ON market_candles
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION market_candles_1h_invalidate();
--> statement-breakpoint
CREATE TRIGGER market_candles_1h_after_update AFTER UPDATE ON market_candles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION market_candles_1h_invalidate();
--> statement-breakpoint
CREATE TRIGGER market_candles_1h_after_delete AFTER DELETE ON market_candles
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION market_candles_1h_invalidate();
--> statement-breakpoint
CREATE FUNCTION market_candles_1h_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE market_candles_1h_materialized, market_candles_1h_invalidations;
    UPDATE market_candles_1h_watermark SET watermark = '-infinity';
    RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER market_candles_1h_after_truncate AFTER TRUNCATE ON market_candles
    FOR EACH STATEMENT EXECUTE FUNCTION market_candles_1h_reset();
--> statement-breakpoint
-- Brings the rollup up to date: re-aggregates the invalidated hours, then materialises the hours
-- between the old watermark and the new one (the current hour and later stay live). Returns the
-- number of hourly rows written.
-- Hash and merge joins are off inside: the joins here pair a handful of touched hours with big tables
-- (often not yet analysed after a load), where only index lookups make sense.
CREATE FUNCTION market_candles_1h_refresh() RETURNS integer LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    old_wm  timestamptz;
    new_wm  timestamptz;
    latest  timestamptz;
    symbols text[];
    buckets timestamptz[];
    written  integer := 0;
    affected integer;
BEGIN
    -- Taken first: waits for writers holding the old watermark; each later statement sees their rows.
    SELECT watermark INTO old_wm FROM market_candles_1h_watermark FOR UPDATE;
    -- Like Timescale's: up to the end of the last hour with data before the current one, so bars
    -- appended after the data (catching up after a pause) are read live rather than invalidated.
    SELECT max(time) INTO latest FROM market_candles
     WHERE time < date_bin('1 hour', clock_timestamp(), '2000-01-03 00:00+00');
    new_wm := greatest(old_wm, date_bin('1 hour', latest, '2000-01-03 00:00+00') + interval '1 hour');

    WITH taken AS (DELETE FROM market_candles_1h_invalidations RETURNING symbol, bucket)
    SELECT array_agg(symbol), array_agg(bucket) INTO symbols, buckets
      FROM (SELECT DISTINCT symbol, bucket FROM taken WHERE bucket < old_wm) AS pairs;
    IF symbols IS NOT NULL THEN
        -- LATERAL: one index range scan per touched hour, whatever the planner thinks of the table.
        WITH fresh AS MATERIALIZED (
            SELECT u.symbol, u.bucket, a.*
              FROM unnest(symbols, buckets) AS u(symbol, bucket)
             CROSS JOIN LATERAL (
                   SELECT count(*) AS bars, (array_agg(c.open ORDER BY c.time))[1] AS open, max(c.high) AS high,
                          min(c.low) AS low, (array_agg(c.close ORDER BY c.time DESC))[1] AS close,
                          sum(c.volume)::bigint AS volume
                     FROM market_candles c
                    WHERE c.symbol = u.symbol AND c.time >= u.bucket AND c.time < u.bucket + interval '1 hour') AS a
        ), emptied AS (
            DELETE FROM market_candles_1h_materialized m
             USING fresh f
             WHERE f.bars = 0 AND m.symbol = f.symbol AND m.bucket = f.bucket
        )
        INSERT INTO market_candles_1h_materialized (bucket, symbol, open, high, low, close, volume)
        SELECT bucket, symbol, open, high, low, close, volume FROM fresh WHERE bars > 0
        ON CONFLICT (symbol, bucket) DO UPDATE
           SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
               close = EXCLUDED.close, volume = EXCLUDED.volume;
        GET DIAGNOSTICS affected = ROW_COUNT;
        written := written + affected;
    END IF;

    IF new_wm > old_wm THEN
        INSERT INTO market_candles_1h_materialized (bucket, symbol, open, high, low, close, volume)
        SELECT date_bin('1 hour', time, '2000-01-03 00:00+00'), symbol,
               (array_agg(open ORDER BY time))[1], max(high), min(low),
               (array_agg(close ORDER BY time DESC))[1], sum(volume)::bigint
          FROM market_candles
         WHERE time >= old_wm AND time < new_wm
         GROUP BY 1, 2;
        GET DIAGNOSTICS affected = ROW_COUNT;
        written := written + affected;
        UPDATE market_candles_1h_watermark SET watermark = new_wm;
    END IF;
    RETURN written;
END;
$$;
--> statement-breakpoint
CREATE VIEW market_candles_1h AS
SELECT bucket, symbol, open, high, low, close, volume
  FROM market_candles_1h_materialized
 WHERE bucket < (SELECT watermark FROM market_candles_1h_watermark)
UNION ALL
SELECT date_bin('1 hour', time, '2000-01-03 00:00+00') AS bucket, symbol,
       (array_agg(open ORDER BY time))[1] AS open, max(high) AS high, min(low) AS low,
       (array_agg(close ORDER BY time DESC))[1] AS close, sum(volume)::bigint AS volume
  FROM market_candles
 WHERE time >= (SELECT watermark FROM market_candles_1h_watermark)
 GROUP BY 1, 2;
--> statement-breakpoint
-- ---------------------------------------------------------------- the trading day
-- Few rows per day (about seven hours), so this one is aggregated when read.
CREATE VIEW market_candles_1d_intraday AS
SELECT date_bin('1 day', bucket, '2000-01-02 17:00+00') AS bucket, symbol,
       (array_agg(open ORDER BY bucket))[1] AS open, max(high) AS high, min(low) AS low,
       (array_agg(close ORDER BY bucket DESC))[1] AS close, sum(volume)::bigint AS volume
  FROM market_candles_1h
 GROUP BY 1, 2;
--> statement-breakpoint
CREATE VIEW market_candles_1d AS
SELECT bucket, symbol, open, high, low, close, volume
  FROM market_candles_1d_intraday
UNION ALL
SELECT e.time AS bucket, e.symbol, e.open, e.high, e.low, e.close, e.volume
  FROM market_candles_eod e
  -- LATERAL … LIMIT 1 rather than NOT EXISTS: one index probe per end-of-day bar, where the planner
  -- would otherwise hash-join every 1-minute bar of the symbol against every day.
  LEFT JOIN LATERAL (SELECT 1 AS found FROM market_candles c
                      WHERE c.symbol = e.symbol AND c.time >= e.time AND c.time < e.time + interval '1 day'
                      LIMIT 1) AS intraday ON true
 WHERE intraday.found IS NULL;
