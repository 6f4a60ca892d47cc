-- The nightly recomputation of the value chain's lead-lag (issue 10, item 5; lib/valuechain/nightly.ts):
-- one row per trading day it ran for. Each app instance's tick sends a pg-boss job whose id is derived
-- from the day (exactly once across instances while pg-boss keeps the job); the worker then claims the
-- day here (INSERT … ON CONFLICT DO NOTHING), so a job sent again once pg-boss has archived the first
-- still runs once. The row also says how the night went (edges stored, edges that could not be
-- analysed, or the error that stored nothing).
CREATE TABLE value_chain_nightly_runs (
    trading_day   DATE PRIMARY KEY,
    started_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    finished_at   TIMESTAMPTZ,
    edges_stored  INTEGER,
    edges_failed  INTEGER,
    error         TEXT
);
