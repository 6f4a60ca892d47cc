-- Saved allocations (issue 11): the seed's portfolio_allocations keeps its design (one row per symbol
-- and percentage, allocation_pct CHECKed 0–100); a saved allocation is a set of those rows, grouped here
-- with the method, its parameters and its metrics. The set names its rows through a join table, so the
-- seed's table is not altered: each allocation row belongs to at most one set (UNIQUE), and its user must
-- be the set's user (trigger below).
CREATE TABLE portfolio_allocation_sets (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         VARCHAR(200) NOT NULL,
    method       VARCHAR(40) NOT NULL,
    params       JSONB NOT NULL DEFAULT '{}'::jsonb,
    metrics      JSONB NOT NULL DEFAULT '{}'::jsonb,
    -- Set when a workflow's Allocate node saved it (the workflow may be deleted later).
    workflow_id  UUID REFERENCES workflows(id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX portfolio_allocation_sets_user_id_created_at_idx ON portfolio_allocation_sets (user_id, created_at DESC, id);
--> statement-breakpoint
CREATE TABLE portfolio_allocation_set_rows (
    set_id         UUID NOT NULL REFERENCES portfolio_allocation_sets(id) ON DELETE CASCADE,
    allocation_id  UUID NOT NULL UNIQUE REFERENCES portfolio_allocations(id) ON DELETE CASCADE,
    -- The row's place in the set (weights listed largest first when saved).
    position       INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (set_id, position)
);
--> statement-breakpoint
CREATE FUNCTION portfolio_allocation_set_rows_same_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM portfolio_allocation_sets s JOIN portfolio_allocations a ON a.user_id = s.user_id
         WHERE s.id = NEW.set_id AND a.id = NEW.allocation_id
    ) THEN
        RAISE EXCEPTION 'An allocation row can only join a saved allocation of its own user.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'portfolio_allocation_set_rows_same_user',
                  TABLE = 'portfolio_allocation_set_rows';
    END IF;
    RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER portfolio_allocation_set_rows_same_user BEFORE INSERT OR UPDATE ON portfolio_allocation_set_rows
    FOR EACH ROW EXECUTE FUNCTION portfolio_allocation_set_rows_same_user();
