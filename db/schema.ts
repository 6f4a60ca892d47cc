/**
 * Drizzle view of QuantFlow's data layer.
 *
 * The DDL itself lives in the SQL migrations under drizzle/ (hand-written so that the time-series
 * layer can take its TimescaleDB or native-PostgreSQL shape behind the same names); this file
 * mirrors it for typed queries. db/schema.test.ts proves the two agree with each other and with
 * ../shared/seed/database-schema-design.md.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  real,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

const tz = { withTimezone: true } as const;

export const NODE_TYPES = ["Upstream", "Midstream", "Downstream"] as const;
export const EXECUTION_STATUSES = ["pending", "running", "success", "failed"] as const;
export const MEMORY_TYPES = ["audit_finding", "preference", "analysis"] as const;
export const EXCHANGES = ["HOSE", "HNX", "UPCOM"] as const;
export const SYMBOL_KINDS = ["stock", "index", "commodity"] as const;

// ---------------------------------------------------------------- relational (the seed)

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: varchar("email", { length: 255 }).notNull().unique(),
  passwordHash: varchar("password_hash", { length: 255 }).notNull(),
  dnseClientId: varchar("dnse_client_id", { length: 255 }).unique(),
  /** Fernet token (lib/crypto); never leaves the server. */
  dnseToken: text("dnse_token"),
  createdAt: timestamp("created_at", tz).defaultNow(),
  updatedAt: timestamp("updated_at", tz).defaultNow(),
});

export const workflows = pgTable(
  "workflows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 255 }).notNull(),
    jsonGraph: jsonb("json_graph").notNull(),
    isActive: boolean("is_active").default(true),
    createdAt: timestamp("created_at", tz).defaultNow(),
    updatedAt: timestamp("updated_at", tz).defaultNow(),
  },
  (t) => [
    unique("workflows_user_id_name_key").on(t.userId, t.name),
    index("workflows_user_id_is_active_idx").on(t.userId, t.isActive),
  ],
);

export const workflowExecutionLogs = pgTable(
  "workflow_execution_logs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workflowId: uuid("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    status: varchar("status", { length: 50 }).notNull().$type<(typeof EXECUTION_STATUSES)[number]>(),
    executedAt: timestamp("executed_at", tz).defaultNow(),
    result: jsonb("result"),
    errorMessage: text("error_message"),
    durationMs: integer("duration_ms"),
  },
  (t) => [
    index("workflow_execution_logs_workflow_id_executed_at_idx").on(t.workflowId, t.executedAt.desc()),
    // The runs list's keyset order (drizzle/0017).
    index("workflow_execution_logs_workflow_id_executed_at_id_idx").on(t.workflowId, t.executedAt.desc(), t.id.desc()),
    check(
      "workflow_execution_logs_status_check",
      sql`${t.status} IN ('pending', 'running', 'success', 'failed')`,
    ),
  ],
);

export const valueChainNodes = pgTable(
  "value_chain_nodes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    symbol: varchar("symbol", { length: 20 }),
    name: varchar("name", { length: 255 }).notNull(),
    sector: varchar("sector", { length: 255 }).notNull(),
    nodeType: varchar("node_type", { length: 50 }).notNull().$type<(typeof NODE_TYPES)[number]>(),
    description: text("description"),
    createdAt: timestamp("created_at", tz).defaultNow(),
  },
  (t) => [
    index("value_chain_nodes_sector_node_type_idx").on(t.sector, t.nodeType),
    uniqueIndex("value_chain_nodes_symbol_idx").on(t.symbol).where(sql`symbol IS NOT NULL`),
    check("value_chain_nodes_node_type_check", sql`${t.nodeType} IN ('Upstream', 'Midstream', 'Downstream')`),
  ],
);

export const valueChainEdges = pgTable(
  "value_chain_edges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => valueChainNodes.id, { onDelete: "cascade" }),
    targetId: uuid("target_id")
      .notNull()
      .references(() => valueChainNodes.id, { onDelete: "cascade" }),
    relationship: varchar("relationship", { length: 255 }),
    correlationCoeff: doublePrecision("correlation_coeff"),
    leadTimeDays: integer("lead_time_days"),
    weight: doublePrecision("weight"),
    createdAt: timestamp("created_at", tz).defaultNow(),
    updatedAt: timestamp("updated_at", tz).defaultNow(),
  },
  (t) => [
    index("value_chain_edges_source_id_target_id_idx").on(t.sourceId, t.targetId),
    index("value_chain_edges_source_id_idx").on(t.sourceId),
    index("value_chain_edges_target_id_idx").on(t.targetId),
    check(
      "value_chain_edges_correlation_coeff_check",
      sql`${t.correlationCoeff} >= -1 AND ${t.correlationCoeff} <= 1`,
    ),
  ],
);

export const VALUE_CHAIN_ENTITIES = ["node", "edge"] as const;
export const VALUE_CHAIN_ACTIONS = ["create", "update", "delete"] as const;

/** Who changed the shared chain, when, before → after (drizzle/0011_value_chain.sql; lib/valuechain/). */
export const valueChainChanges = pgTable(
  "value_chain_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    changedAt: timestamp("changed_at", tz).notNull().defaultNow(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    entity: text("entity", { enum: VALUE_CHAIN_ENTITIES }).notNull(),
    entityId: uuid("entity_id").notNull(),
    action: text("action", { enum: VALUE_CHAIN_ACTIONS }).notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    index("value_chain_changes_changed_at_idx").on(t.changedAt.desc(), t.id.desc()),
    index("value_chain_changes_entity_idx").on(t.entity, t.entityId),
  ],
);

/** Every lead-lag recomputation of an edge; the newest is its current analysis (drizzle/0011_value_chain.sql). */
export const valueChainAnalyses = pgTable(
  "value_chain_analyses",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    edgeId: uuid("edge_id")
      .notNull()
      .references(() => valueChainEdges.id, { onDelete: "cascade" }),
    computedAt: timestamp("computed_at", tz).notNull().defaultNow(),
    computedBy: uuid("computed_by").references(() => users.id, { onDelete: "set null" }),
    windowYears: integer("window_years").notNull(),
    asOf: date("as_of", { mode: "string" }).notNull(),
    maxLag: integer("max_lag").notNull(),
    n: integer("n").notNull(),
    leadTimeDays: integer("lead_time_days").notNull(),
    correlation: doublePrecision("correlation").notNull(),
    significant: boolean("significant").notNull(),
    band: doublePrecision("band").notNull(),
    plainBand: doublePrecision("plain_band").notNull(),
    weight: doublePrecision("weight").notNull(),
    lags: jsonb("lags").notNull().$type<{ k: number; rho: number | null }[]>(),
    params: jsonb("params").notNull().default({}).$type<Record<string, unknown>>(),
  },
  (t) => [index("value_chain_analyses_edge_id_computed_at_idx").on(t.edgeId, t.computedAt.desc(), t.id.desc())],
);

/** The nightly recomputation of the chain's lead-lag, one row per trading day (drizzle/0012_value_chain_nightly.sql, lib/valuechain/nightly.ts). */
export const valueChainNightlyRuns = pgTable("value_chain_nightly_runs", {
  tradingDay: date("trading_day", { mode: "string" }).primaryKey(),
  startedAt: timestamp("started_at", tz).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", tz),
  edgesStored: integer("edges_stored"),
  edgesFailed: integer("edges_failed"),
  error: text("error"),
});

export const portfolioAllocations = pgTable(
  "portfolio_allocations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    symbol: varchar("symbol", { length: 20 }).notNull(),
    allocationPct: doublePrecision("allocation_pct").notNull(),
    createdAt: timestamp("created_at", tz).defaultNow(),
  },
  (t) => [
    index("portfolio_allocations_user_id_idx").on(t.userId),
    check(
      "portfolio_allocations_allocation_pct_check",
      sql`${t.allocationPct} >= 0 AND ${t.allocationPct} <= 100`,
    ),
  ],
);

/**
 * A saved allocation: the seed's portfolio_allocations rows of one generation, grouped with its method,
 * parameters and metrics (drizzle/0014_portfolio_allocation_sets.sql; the seed's table is not altered).
 */
export const portfolioAllocationSets = pgTable(
  "portfolio_allocation_sets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 200 }).notNull(),
    method: varchar("method", { length: 40 }).notNull(),
    params: jsonb("params").notNull().default({}).$type<Record<string, unknown>>(),
    metrics: jsonb("metrics").notNull().default({}).$type<Record<string, unknown>>(),
    workflowId: uuid("workflow_id").references(() => workflows.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
  },
  (t) => [index("portfolio_allocation_sets_user_id_created_at_idx").on(t.userId, t.createdAt.desc(), t.id)],
);

export const portfolioAllocationSetRows = pgTable(
  "portfolio_allocation_set_rows",
  {
    setId: uuid("set_id")
      .notNull()
      .references(() => portfolioAllocationSets.id, { onDelete: "cascade" }),
    allocationId: uuid("allocation_id")
      .notNull()
      .unique()
      .references(() => portfolioAllocations.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.setId, t.position] })],
);

// ---------------------------------------------------------------- beyond the seed, where users need it

/**
 * The Postgres-backed memory store used when QDRANT_URL is unset: the seed's Qdrant payload
 * (user_memories_{user_id}) as rows, one table for all users, always filtered by user_id.
 */
export const userMemories = pgTable(
  "user_memories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    memoryType: varchar("memory_type", { length: 50 }).notNull().$type<(typeof MEMORY_TYPES)[number]>(),
    company: varchar("company", { length: 20 }),
    content: text("content").notNull(),
    embedding: real("embedding").array().notNull(),
    timestamp: timestamp("timestamp", tz).notNull().defaultNow(),
    createdAt: timestamp("created_at", tz).defaultNow(),
  },
  (t) => [
    index("user_memories_user_id_timestamp_idx").on(t.userId, t.timestamp.desc()),
    check(
      "user_memories_memory_type_check",
      sql`${t.memoryType} IN ('audit_finding', 'preference', 'analysis')`,
    ),
  ],
);

/** The embedding model of each memory's vector (drizzle/0013_memory_models.sql, lib/memory). */
export const userMemoryModels = pgTable(
  "user_memory_models",
  {
    memoryId: uuid("memory_id")
      .primaryKey()
      .references(() => userMemories.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    model: varchar("model", { length: 200 }).notNull(),
  },
  (t) => [index("user_memory_models_user_id_model_idx").on(t.userId, t.model)],
);

/** Raised with every write to a user's memories: the in-process vector cache reloads when it moved. */
export const userMemoryVersions = pgTable("user_memory_versions", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});

/** Failed sign-ins per sha256("email:…") or sha256("ip:…") key (lib/auth/throttle.ts). */
export const signInThrottle = pgTable(
  "sign_in_throttle",
  {
    keyHash: text("key_hash").primaryKey(),
    failures: integer("failures").notNull().default(0),
    windowStartedAt: timestamp("window_started_at", tz).notNull().defaultNow(),
  },
  (t) => [index("sign_in_throttle_window_started_at_idx").on(t.windowStartedAt)],
);

/** When a user's DNSE token was last stored (the token itself is users.dnse_token, Fernet-encrypted). */
export const dnseConnections = pgTable("dnse_connections", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  tokenUpdatedAt: timestamp("token_updated_at", tz).notNull().defaultNow(),
});

export const ROLES = ["admin", "analyst"] as const;

/** Who may write shared data (lib/auth/roles.ts); no row = analyst. */
export const userRoles = pgTable(
  "user_roles",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    grantedAt: timestamp("granted_at", tz).notNull().defaultNow(),
    grantedBy: uuid("granted_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [check("user_roles_role_check", sql`${t.role} IN ('admin', 'analyst')`)],
);

/** Sign-up invitations for QUANTFLOW_SIGNUP=invite (lib/auth/invitations.ts); the token is stored hashed. */
export const signupInvitations = pgTable(
  "signup_invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    email: varchar("email", { length: 255 }),
    role: text("role", { enum: ROLES }).notNull().default("analyst"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", tz).notNull(),
    usedAt: timestamp("used_at", tz),
    usedBy: uuid("used_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [check("signup_invitations_role_check", sql`${t.role} IN ('admin', 'analyst')`)],
);

/** Personal API tokens (lib/auth/api-tokens.ts): only the sha256 is stored. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 100 }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    hint: varchar("hint", { length: 16 }).notNull(),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", tz),
    revokedAt: timestamp("revoked_at", tz),
  },
  (t) => [index("api_tokens_user_id_idx").on(t.userId)],
);

/** Queued and running workflow runs and backfills (drizzle/0009_background_jobs.sql, lib/jobs). */
export const backgroundJobs = pgTable(
  "background_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: varchar("kind", { length: 20 }).notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    state: varchar("state", { length: 10 }).notNull().default("queued"),
    dedupKey: text("dedup_key"),
    params: jsonb("params").notNull(),
    progress: jsonb("progress"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    bossJobId: uuid("boss_job_id"),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
    startedAt: timestamp("started_at", tz),
    heartbeatAt: timestamp("heartbeat_at", tz),
    endedAt: timestamp("ended_at", tz),
  },
  (t) => [
    check("background_jobs_kind_check", sql`${t.kind} IN ('workflow-run', 'backfill')`),
    check("background_jobs_state_check", sql`${t.state} IN ('queued', 'running', 'done', 'failed')`),
    index("background_jobs_kind_state_idx").on(t.kind, t.state, t.createdAt),
    index("background_jobs_user_idx").on(t.userId, t.kind, t.state),
  ],
);

/** A reviewed override of a stock's daily price limits for one Vietnamese trading day (drizzle/0008_bar_bounds.sql). */
export const marketBarOverrides = pgTable(
  "market_bar_overrides",
  {
    symbol: varchar("symbol", { length: 20 }).notNull(),
    tradeDate: date("trade_date").notNull(),
    reason: text("reason").notNull(),
    reviewedBy: uuid("reviewed_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "market_bar_overrides_pkey", columns: [t.symbol, t.tradeDate] }),
    check("market_bar_overrides_reason_check", sql`length(btrim(${t.reason})) BETWEEN 3 AND 500`),
  ],
);

export const CANDLE_CHANGE_SOURCES = ["csv-import", "backfill", "correction", "live-feed", "ingest"] as const;

/** A stored bar replaced by different values, or removed by a correction (lib/market/ingest.ts, corrections.ts). */
export const marketCandleChanges = pgTable(
  "market_candle_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    symbol: varchar("symbol", { length: 20 }).notNull(),
    time: timestamp("time", tz).notNull(),
    resolution: text("resolution", { enum: ["1m", "1D"] }).notNull(),
    oldOpen: doublePrecision("old_open").notNull(),
    oldHigh: doublePrecision("old_high").notNull(),
    oldLow: doublePrecision("old_low").notNull(),
    oldClose: doublePrecision("old_close").notNull(),
    oldVolume: bigint("old_volume", { mode: "number" }).notNull(),
    newOpen: doublePrecision("new_open"),
    newHigh: doublePrecision("new_high"),
    newLow: doublePrecision("new_low"),
    newClose: doublePrecision("new_close"),
    newVolume: bigint("new_volume", { mode: "number" }),
    source: text("source", { enum: CANDLE_CHANGE_SOURCES }).notNull(),
    /** No foreign key: the audit keeps the id after the account is deleted. */
    userId: uuid("user_id"),
    changedAt: timestamp("changed_at", tz).notNull().defaultNow(),
  },
  (t) => [
    check("market_candle_changes_resolution_check", sql`${t.resolution} IN ('1m', '1D')`),
    check(
      "market_candle_changes_source_check",
      sql`${t.source} IN ('csv-import', 'backfill', 'correction', 'live-feed', 'ingest')`,
    ),
    index("market_candle_changes_symbol_time_idx").on(t.symbol, t.time),
    index("market_candle_changes_changed_at_idx").on(t.changedAt),
  ],
);

/** One signed-in session (drizzle/0006_sessions.sql): the JWT's `sid`; deleting the row ends the session. */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", tz).notNull().defaultNow(),
  },
  (t) => [index("user_sessions_user_id_idx").on(t.userId), index("user_sessions_last_seen_at_idx").on(t.lastSeenAt)],
);

/** What can be charted: tickers, indices and commodity series, with the exchange whose rules apply. */
export const marketSymbols = pgTable(
  "market_symbols",
  {
    symbol: varchar("symbol", { length: 20 }).primaryKey(),
    name: varchar("name", { length: 255 }).notNull(),
    kind: varchar("kind", { length: 20 }).notNull().$type<(typeof SYMBOL_KINDS)[number]>(),
    exchange: varchar("exchange", { length: 10 }).$type<(typeof EXCHANGES)[number]>(),
    sector: varchar("sector", { length: 255 }),
    createdAt: timestamp("created_at", tz).defaultNow(),
  },
  (t) => [
    index("market_symbols_exchange_sector_idx").on(t.exchange, t.sector),
    check("market_symbols_kind_check", sql`${t.kind} IN ('stock', 'index', 'commodity')`),
    check("market_symbols_exchange_check", sql`${t.exchange} IN ('HOSE', 'HNX', 'UPCOM')`),
  ],
);

/**
 * A user's watchlist on the price board (drizzle/0015_watchlists.sql): one row per symbol, ordered by
 * position; gone with the user, and with the symbol.
 */
export const watchlistSymbols = pgTable(
  "watchlist_symbols",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    symbol: varchar("symbol", { length: 20 })
      .notNull()
      .references(() => marketSymbols.symbol, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    addedAt: timestamp("added_at", tz).notNull().defaultNow(),
  },
  (t) => [
    unique("watchlist_symbols_user_id_symbol_key").on(t.userId, t.symbol),
    index("watchlist_symbols_user_id_position_idx").on(t.userId, t.position),
    check("watchlist_symbols_position_check", sql`${t.position} >= 0`),
  ],
);

// ---------------------------------------------------------------- time series (drizzle/0001_timeseries.sql)

const candleColumns = {
  open: doublePrecision("open").notNull(),
  high: doublePrecision("high").notNull(),
  low: doublePrecision("low").notNull(),
  close: doublePrecision("close").notNull(),
  volume: bigint("volume", { mode: "number" }).notNull(),
};

/** 1-minute bars: a hypertable with TimescaleDB, weekly range partitions without it. */
export const marketCandles = pgTable(
  "market_candles",
  {
    time: timestamp("time", tz).notNull(),
    symbol: text("symbol").notNull(),
    ...candleColumns,
  },
  (t) => [unique("market_candles_time_symbol_key").on(t.time, t.symbol)],
);

/** Daily bars of years with no 1-minute history (CSV imports, DNSE resolution D); time = 00:00 in Vietnam. */
export const marketCandlesEod = pgTable(
  "market_candles_eod",
  {
    time: timestamp("time", tz).notNull(),
    symbol: text("symbol").notNull(),
    ...candleColumns,
  },
  (t) => [primaryKey({ name: "market_candles_eod_pkey", columns: [t.symbol, t.time] })],
);

const bucketColumns = {
  bucket: timestamp("bucket", tz).notNull(),
  symbol: text("symbol").notNull(),
  ...candleColumns,
};

/** 1-hour bars: the continuous aggregate (TimescaleDB) or the real-time rollup view (native). */
export const marketCandles1h = pgView("market_candles_1h", bucketColumns).existing();

/** Daily bars by Vietnamese trading day (bucket = 00:00 GMT+7): the EOD bar where one exists, else aggregated from 1-minute bars. */
export const marketCandles1d = pgView("market_candles_1d", bucketColumns).existing();

// Not tables or views, so not declared here: drizzle/0003_candle_reads.*.sql defines the functions
// market_candles_1h_range / market_candles_1d_range(symbol, from, to, limit) (one symbol's window of
// the two views above, newest first, planned for the window's partitions only) and
// market_candles_exist_before(symbol, before, eod) and market_candles_last_close_before(symbol, before);
// lib/market/candles.ts reads through them.

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Workflow = typeof workflows.$inferSelect;
export type NewWorkflow = typeof workflows.$inferInsert;
export type WorkflowExecutionLog = typeof workflowExecutionLogs.$inferSelect;
export type ValueChainNode = typeof valueChainNodes.$inferSelect;
export type ValueChainEdge = typeof valueChainEdges.$inferSelect;
export type ValueChainChange = typeof valueChainChanges.$inferSelect;
export type ValueChainAnalysis = typeof valueChainAnalyses.$inferSelect;
export type PortfolioAllocation = typeof portfolioAllocations.$inferSelect;
export type UserMemory = typeof userMemories.$inferSelect;
export type MarketSymbol = typeof marketSymbols.$inferSelect;
export type Candle = typeof marketCandles.$inferSelect;

// ---------------------------------------------------------------- notifications (drizzle/0018, lib/notifications)

/** A user's delivery channel: e-mail, Telegram or a webhook; `secret` is a Fernet token, never sent back. */
export const notificationChannels = pgTable(
  "notification_channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: varchar("kind", { length: 10 }).notNull(),
    name: varchar("name", { length: 60 }).notNull(),
    target: text("target").notNull(),
    secret: text("secret"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    pausedAt: timestamp("paused_at", tz),
    pausedReason: text("paused_reason"),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
  },
  (t) => [unique("notification_channels_user_id_name_key").on(t.userId, t.name)],
);

/** The notification centre's rows, per user. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: varchar("kind", { length: 20 }).notNull().default("alert"),
    workflowId: uuid("workflow_id").references(() => workflows.id, { onDelete: "set null" }),
    runId: uuid("run_id").references(() => workflowExecutionLogs.id, { onDelete: "set null" }),
    title: varchar("title", { length: 200 }).notNull(),
    severity: varchar("severity", { length: 10 }).notNull().default("info"),
    body: text("body").notNull().default(""),
    symbols: jsonb("symbols").notNull().default([]),
    readAt: timestamp("read_at", tz),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
  },
  (t) => [index("notifications_user_id_created_at_idx").on(t.userId, t.createdAt.desc(), t.id)],
);

/** One delivery of a run's notification to one channel: the unique (run, channel) pair delivers once. */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    runId: uuid("run_id")
      .notNull()
      .references(() => workflowExecutionLogs.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").references(() => notificationChannels.id, { onDelete: "set null" }),
    channelKind: varchar("channel_kind", { length: 10 }).notNull(),
    channelName: varchar("channel_name", { length: 60 }).notNull(),
    state: varchar("state", { length: 10 }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    message: jsonb("message").notNull(),
    createdAt: timestamp("created_at", tz).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", tz).notNull().defaultNow(),
    sentAt: timestamp("sent_at", tz),
  },
  (t) => [unique("notification_deliveries_run_id_channel_id_key").on(t.runId, t.channelId)],
);

/** The symbols an Alert node last notified about, for "only when the symbols changed". */
export const notificationAlertStates = pgTable(
  "notification_alert_states",
  {
    workflowId: uuid("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    nodeId: varchar("node_id", { length: 100 }).notNull(),
    symbols: jsonb("symbols").notNull(),
    updatedAt: timestamp("updated_at", tz).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workflowId, t.nodeId] })],
);
