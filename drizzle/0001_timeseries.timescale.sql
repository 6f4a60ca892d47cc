-- qf:no-transaction
-- The time-series layer with TimescaleDB: the seed's DDL, plus the daily resolution and end-of-day
-- history. Same names and same candles as 0001_timeseries.native.sql. A continuous aggregate cannot
-- be created inside a transaction block, so this file runs statement by statement and every
-- statement is idempotent (a run stopped half-way can simply be run again).
CREATE EXTENSION IF NOT EXISTS timescaledb;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS market_candles (
    time        TIMESTAMPTZ       NOT NULL,
    symbol      TEXT              NOT NULL,
    open        DOUBLE PRECISION  NOT NULL,
    high        DOUBLE PRECISION  NOT NULL,
    low         DOUBLE PRECISION  NOT NULL,
    close       DOUBLE PRECISION  NOT NULL,
    volume      BIGINT            NOT NULL,
    CONSTRAINT market_candles_time_symbol_key UNIQUE (time, symbol)
);
--> statement-breakpoint
-- Timescale's own (time DESC) index is left out so that the seed's two indexes, below, are the only
-- ones and carry the same names as on the native path.
SELECT create_hypertable('market_candles', 'time', chunk_time_interval => INTERVAL '1 week',
                         create_default_indexes => false, if_not_exists => true);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS market_candles_symbol_time_idx ON market_candles (symbol, time DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS market_candles_time_idx ON market_candles (time DESC);
--> statement-breakpoint
-- Daily bars of years that have no 1-minute history (CSV imports, DNSE resolution D); time is
-- 00:00 in Vietnam of the trading day.
CREATE TABLE IF NOT EXISTS market_candles_eod (
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
CREATE OR REPLACE FUNCTION market_timeseries_engine() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'timescale' $$;
--> statement-breakpoint
-- Chunks are created on demand; this keeps ingest's call the same on both paths.
CREATE OR REPLACE FUNCTION market_candles_ensure_partitions(instants timestamptz[]) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 0 $$;
--> statement-breakpoint
-- The seed's aggregate. materialized_only = false asks for real-time aggregation explicitly (the
-- default changed to true in TimescaleDB 2.13); SUM(bigint) is numeric, cast back to the column's type.
CREATE MATERIALIZED VIEW IF NOT EXISTS market_candles_1h
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT
    time_bucket('1 hour', time) AS bucket,
    symbol,
    FIRST(open, time) AS open,
    MAX(high) AS high,
    MIN(low) AS low,
    LAST(close, time) AS close,
    SUM(volume)::bigint AS volume
FROM market_candles
GROUP BY bucket, symbol
WITH DATA;
--> statement-breakpoint
SELECT add_continuous_aggregate_policy('market_candles_1h',
    start_offset => NULL, end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '1 minute',
    if_not_exists => true);
--> statement-breakpoint
-- The trading day in Vietnam, on top of the hourly aggregate (buckets at 17:00 UTC).
CREATE MATERIALIZED VIEW IF NOT EXISTS market_candles_1d_intraday
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT
    time_bucket('1 day', bucket, 'Asia/Ho_Chi_Minh') AS bucket,
    symbol,
    FIRST(open, bucket) AS open,
    MAX(high) AS high,
    MIN(low) AS low,
    LAST(close, bucket) AS close,
    SUM(volume)::bigint AS volume
FROM market_candles_1h
GROUP BY 1, symbol
WITH DATA;
--> statement-breakpoint
SELECT add_continuous_aggregate_policy('market_candles_1d_intraday',
    start_offset => NULL, end_offset => INTERVAL '1 day', schedule_interval => INTERVAL '1 hour',
    if_not_exists => true);
--> statement-breakpoint
CREATE OR REPLACE VIEW market_candles_1d AS
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
