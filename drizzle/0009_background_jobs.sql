-- Background jobs (issue 9, item 4): manual and scheduled workflow runs and DNSE backfills, queued per user
-- and run under global and per-user concurrency limits (lib/jobs). pg-boss delivers each started job to one
-- worker of one instance; this table is the job's record: its state and progress for the status routes
-- (readable after a restart and from any instance), the limits' counts, and the heartbeat by which a job
-- whose instance died is recognised and retried or failed.
CREATE TABLE background_jobs (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    kind          VARCHAR(20) NOT NULL CHECK (kind IN ('workflow-run', 'backfill')),
    user_id       UUID NOT NULL,
    state         VARCHAR(10) NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    -- The same request while one is queued or running answers that job (a backfill's symbol, range, resolution).
    dedup_key     TEXT,
    params        JSONB NOT NULL,
    progress      JSONB,
    error         TEXT,
    -- How many times a worker was handed this job (an interrupted backfill is handed out again, up to a limit).
    attempts      INTEGER NOT NULL DEFAULT 0,
    -- The pg-boss job of the current attempt: a worker holding an older attempt's job writes nothing.
    boss_job_id   UUID,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    started_at    TIMESTAMPTZ,
    heartbeat_at  TIMESTAMPTZ,
    ended_at      TIMESTAMPTZ,
    CONSTRAINT background_jobs_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX background_jobs_kind_state_idx ON background_jobs (kind, state, created_at);
--> statement-breakpoint
CREATE INDEX background_jobs_user_idx ON background_jobs (user_id, kind, state);
