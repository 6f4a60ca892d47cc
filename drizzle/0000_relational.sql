-- QuantFlow relational schema: every table of ../shared/seed/database-schema-design.md, as specified,
-- plus market_symbols and user_memories (the Postgres-backed memory store). Constraint and index
-- names are explicit so that db/schema.ts and the schema test can name them. gen_random_uuid() is
-- built into PostgreSQL 13+, so no extension is needed (and PGlite, the TimescaleDB oracle, runs it too).
-- updated_at "stays true on every update": a trigger, so that raw SQL updates keep it too.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TABLE users (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email           VARCHAR(255) NOT NULL,
    password_hash   VARCHAR(255) NOT NULL,
    dnse_client_id  VARCHAR(255),
    dnse_token      TEXT,  -- Fernet token (lib/crypto)
    created_at      TIMESTAMPTZ DEFAULT NOW(),
    updated_at      TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT users_email_unique UNIQUE (email),
    CONSTRAINT users_dnse_client_id_unique UNIQUE (dnse_client_id)
);
--> statement-breakpoint
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
--> statement-breakpoint
CREATE TABLE workflows (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         UUID NOT NULL,
    name            VARCHAR(255) NOT NULL,
    json_graph      JSONB NOT NULL,
    is_active       BOOLEAN DEFAULT TRUE,
    created_at      TIMESTAMPTZ DEFAULT NOW(),
    updated_at      TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT workflows_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT workflows_user_id_name_key UNIQUE (user_id, name)
);
--> statement-breakpoint
CREATE INDEX workflows_user_id_is_active_idx ON workflows (user_id, is_active);
--> statement-breakpoint
CREATE TRIGGER workflows_set_updated_at BEFORE UPDATE ON workflows
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
--> statement-breakpoint
CREATE TABLE workflow_execution_logs (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id     UUID NOT NULL,
    status          VARCHAR(50) NOT NULL,
    executed_at     TIMESTAMPTZ DEFAULT NOW(),
    result          JSONB,
    error_message   TEXT,
    duration_ms     INTEGER,
    CONSTRAINT workflow_execution_logs_workflow_id_workflows_id_fk
        FOREIGN KEY (workflow_id) REFERENCES workflows(id) ON DELETE CASCADE,
    CONSTRAINT workflow_execution_logs_status_check
        CHECK (status IN ('pending', 'running', 'success', 'failed'))
);
--> statement-breakpoint
CREATE INDEX workflow_execution_logs_workflow_id_executed_at_idx
    ON workflow_execution_logs (workflow_id, executed_at DESC);
--> statement-breakpoint
CREATE TABLE value_chain_nodes (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    symbol          VARCHAR(20),
    name            VARCHAR(255) NOT NULL,
    sector          VARCHAR(255) NOT NULL,
    node_type       VARCHAR(50) NOT NULL,
    description     TEXT,
    created_at      TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT value_chain_nodes_node_type_check
        CHECK (node_type IN ('Upstream', 'Midstream', 'Downstream'))
);
--> statement-breakpoint
CREATE INDEX value_chain_nodes_sector_node_type_idx ON value_chain_nodes (sector, node_type);
--> statement-breakpoint
CREATE UNIQUE INDEX value_chain_nodes_symbol_idx ON value_chain_nodes (symbol) WHERE symbol IS NOT NULL;
--> statement-breakpoint
CREATE TABLE value_chain_edges (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    source_id       UUID NOT NULL,
    target_id       UUID NOT NULL,
    relationship    VARCHAR(255),
    correlation_coeff DOUBLE PRECISION,
    lead_time_days  INTEGER,
    weight          DOUBLE PRECISION,
    created_at      TIMESTAMPTZ DEFAULT NOW(),
    updated_at      TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT value_chain_edges_source_id_value_chain_nodes_id_fk
        FOREIGN KEY (source_id) REFERENCES value_chain_nodes(id) ON DELETE CASCADE,
    CONSTRAINT value_chain_edges_target_id_value_chain_nodes_id_fk
        FOREIGN KEY (target_id) REFERENCES value_chain_nodes(id) ON DELETE CASCADE,
    CONSTRAINT value_chain_edges_correlation_coeff_check
        CHECK (correlation_coeff >= -1 AND correlation_coeff <= 1)
);
--> statement-breakpoint
CREATE INDEX value_chain_edges_source_id_target_id_idx ON value_chain_edges (source_id, target_id);
--> statement-breakpoint
CREATE INDEX value_chain_edges_source_id_idx ON value_chain_edges (source_id);
--> statement-breakpoint
CREATE INDEX value_chain_edges_target_id_idx ON value_chain_edges (target_id);
--> statement-breakpoint
CREATE TRIGGER value_chain_edges_set_updated_at BEFORE UPDATE ON value_chain_edges
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
--> statement-breakpoint
-- The seed declares the user_id foreign key twice (inline with ON DELETE CASCADE, and again as a bare
-- FOREIGN KEY). The bare one would contradict its own rule "all FK constraints use ON DELETE CASCADE",
-- so the two are one constraint here, with CASCADE.
CREATE TABLE portfolio_allocations (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         UUID NOT NULL,
    symbol          VARCHAR(20) NOT NULL,
    allocation_pct  DOUBLE PRECISION NOT NULL,
    created_at      TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT portfolio_allocations_user_id_users_id_fk
        FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT portfolio_allocations_allocation_pct_check
        CHECK (allocation_pct >= 0 AND allocation_pct <= 100)
);
--> statement-breakpoint
CREATE INDEX portfolio_allocations_user_id_idx ON portfolio_allocations (user_id);
--> statement-breakpoint
-- The seed's Qdrant payload as rows, for the memory store used when QDRANT_URL is unset.
CREATE TABLE user_memories (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         UUID NOT NULL,
    memory_type     VARCHAR(50) NOT NULL,
    company         VARCHAR(20),
    content         TEXT NOT NULL,
    embedding       REAL[] NOT NULL,
    "timestamp"     TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_at      TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT user_memories_user_id_users_id_fk
        FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT user_memories_memory_type_check
        CHECK (memory_type IN ('audit_finding', 'preference', 'analysis'))
);
--> statement-breakpoint
CREATE INDEX user_memories_user_id_timestamp_idx ON user_memories (user_id, "timestamp" DESC);
--> statement-breakpoint
-- What can be charted, and under which exchange's rules (price limits, tick sizes, sessions).
CREATE TABLE market_symbols (
    symbol          VARCHAR(20) PRIMARY KEY,
    name            VARCHAR(255) NOT NULL,
    kind            VARCHAR(20) NOT NULL,
    exchange        VARCHAR(10),
    sector          VARCHAR(255),
    created_at      TIMESTAMPTZ DEFAULT NOW(),
    CONSTRAINT market_symbols_kind_check CHECK (kind IN ('stock', 'index', 'commodity')),
    CONSTRAINT market_symbols_exchange_check CHECK (exchange IN ('HOSE', 'HNX', 'UPCOM'))
);
--> statement-breakpoint
CREATE INDEX market_symbols_exchange_sector_idx ON market_symbols (exchange, sector);
