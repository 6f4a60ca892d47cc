-- The value chain (issue 10): the change log and the analysis history, tables of our own, and the rules
-- of the seed's value_chain_nodes / value_chain_edges that the seed's own constraints do not already hold.
-- The seed's two tables keep exactly their design (db/schema.test.ts): the rules come as triggers.
--
-- Already enforced by the seed: node_type one of Upstream|Midstream|Downstream
-- (value_chain_nodes_node_type_check), correlation_coeff in [-1, 1] (value_chain_edges_correlation_coeff_check),
-- one node per symbol (value_chain_nodes_symbol_idx).
-- Added here: no edge from a node to itself; no second edge with the same source, target and relationship
-- (two edges without a relationship count as the same).

CREATE FUNCTION value_chain_edges_check_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.source_id = NEW.target_id THEN
        RAISE EXCEPTION 'A value-chain edge cannot link a node to itself.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'value_chain_edges_no_self_loop',
                  TABLE = 'value_chain_edges', DETAIL = format('source_id = target_id = %s', NEW.source_id);
    END IF;
    -- Two transactions adding the same link at once must not both pass the check below: writers of one
    -- (source, target) pair take turns. In READ COMMITTED each statement of this function sees what the
    -- other committed before it let go of the lock.
    PERFORM pg_advisory_xact_lock(hashtextextended('value_chain_edges|' || NEW.source_id || '|' || NEW.target_id, 0));
    IF EXISTS (
        SELECT 1 FROM value_chain_edges e
         WHERE e.source_id = NEW.source_id AND e.target_id = NEW.target_id
           AND e.relationship IS NOT DISTINCT FROM NEW.relationship AND e.id <> NEW.id
    ) THEN
        RAISE EXCEPTION 'There is already an edge with the same source, target and relationship.'
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'value_chain_edges_unique_link',
                  TABLE = 'value_chain_edges',
                  DETAIL = format('source_id %s, target_id %s, relationship %s', NEW.source_id, NEW.target_id,
                                  coalesce(quote_literal(NEW.relationship), 'none'));
    END IF;
    RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER value_chain_edges_check_rules BEFORE INSERT OR UPDATE OF source_id, target_id, relationship
    ON value_chain_edges FOR EACH ROW EXECUTE FUNCTION value_chain_edges_check_rules();
--> statement-breakpoint
-- Who changed the shared chain, when, and what it was before and after (shown on the /value-chain page).
CREATE TABLE value_chain_changes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- Null once the account is deleted: the change stays in the log.
    user_id     UUID,
    entity      TEXT NOT NULL,
    -- No foreign key: the log outlives the node or edge it tells about.
    entity_id   UUID NOT NULL,
    action      TEXT NOT NULL,
    before      JSONB,
    after       JSONB,
    CONSTRAINT value_chain_changes_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT value_chain_changes_entity_check CHECK (entity IN ('node', 'edge')),
    CONSTRAINT value_chain_changes_action_check CHECK (action IN ('create', 'update', 'delete')),
    CONSTRAINT value_chain_changes_before_check CHECK ((before IS NULL) = (action = 'create')),
    CONSTRAINT value_chain_changes_after_check CHECK ((after IS NULL) = (action = 'delete'))
);
--> statement-breakpoint
CREATE INDEX value_chain_changes_changed_at_idx ON value_chain_changes (changed_at DESC, id DESC);
--> statement-breakpoint
CREATE INDEX value_chain_changes_entity_idx ON value_chain_changes (entity, entity_id);
--> statement-breakpoint
-- Every lead-lag recomputation of an edge; the newest is the edge's current analysis, whose lead,
-- correlation and weight are also written to the edge (value_chain_edges.correlation_coeff, …).
CREATE TABLE value_chain_analyses (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edge_id         UUID NOT NULL,
    computed_at     TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- Null for the nightly job, or once the account is deleted.
    computed_by     UUID,
    window_years    INTEGER NOT NULL,
    as_of           DATE NOT NULL,
    max_lag         INTEGER NOT NULL,
    -- Common trading days the returns were computed on.
    n               INTEGER NOT NULL,
    lead_time_days  INTEGER NOT NULL,
    correlation     DOUBLE PRECISION NOT NULL,
    significant     BOOLEAN NOT NULL,
    -- Half-width of the band corrected for the 2K + 1 lags tested (Bonferroni), and the plain 1.96/√n one.
    band            DOUBLE PRECISION NOT NULL,
    plain_band      DOUBLE PRECISION NOT NULL,
    weight          DOUBLE PRECISION NOT NULL,
    -- [{ "k": -K…K, "rho": number | null }]
    lags            JSONB NOT NULL,
    params          JSONB NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT value_chain_analyses_edge_id_value_chain_edges_id_fk
        FOREIGN KEY (edge_id) REFERENCES value_chain_edges(id) ON DELETE CASCADE,
    CONSTRAINT value_chain_analyses_computed_by_users_id_fk FOREIGN KEY (computed_by) REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT value_chain_analyses_window_years_check CHECK (window_years IN (1, 3, 5)),
    CONSTRAINT value_chain_analyses_max_lag_check CHECK (max_lag BETWEEN 1 AND 250),
    CONSTRAINT value_chain_analyses_n_check CHECK (n > 0),
    CONSTRAINT value_chain_analyses_lead_check CHECK (abs(lead_time_days) <= max_lag),
    CONSTRAINT value_chain_analyses_correlation_check CHECK (correlation >= -1 AND correlation <= 1),
    CONSTRAINT value_chain_analyses_band_check CHECK (band > 0 AND plain_band > 0),
    CONSTRAINT value_chain_analyses_weight_check CHECK (weight >= 0 AND weight <= 1),
    CONSTRAINT value_chain_analyses_lags_check CHECK (jsonb_typeof(lags) = 'array')
);
--> statement-breakpoint
CREATE INDEX value_chain_analyses_edge_id_computed_at_idx ON value_chain_analyses (edge_id, computed_at DESC, id DESC);
