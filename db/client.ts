/**
 * The database connection.
 *
 * - Scripts (`npm start`, `npm run db:migrate`, the test setup) call `resolveDatabaseUrl()`: DATABASE_URL
 *   when it is set, else the embedded PostgreSQL under QUANTFLOW_DATA_DIR (db/embedded.ts), started on
 *   demand. `npm start` hands the resolved URL to the web server as DATABASE_URL.
 * - The web app uses `getPool()` / `getDb()`: one shared pool on DATABASE_URL, created on first use.
 */
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env, type Env } from "../lib/env";
import * as schema from "./schema";
import { redactUrl } from "./url";

export { redactUrl };

export type Log = (line: string) => void;

export interface ResolvedDatabase {
  /** Connection URL; it may hold a password, so print `displayUrl` instead. */
  url: string;
  displayUrl: string;
  /** True when this process started (or joined) the embedded server. */
  embedded: boolean;
  /** Stops the embedded server this process started; a no-op otherwise. Idempotent. */
  stop(): Promise<void>;
}

/** DATABASE_URL, or the embedded PostgreSQL (started now) when it is unset. */
export async function resolveDatabaseUrl(opts: { log: Log; env?: Env; dataDir?: string }): Promise<ResolvedDatabase> {
  const e = opts.env ?? env();
  if (e.DATABASE_URL) {
    opts.log(`Using the PostgreSQL server of DATABASE_URL (${redactUrl(e.DATABASE_URL)}).`);
    return { url: e.DATABASE_URL, displayUrl: redactUrl(e.DATABASE_URL), embedded: false, stop: async () => undefined };
  }
  opts.log("DATABASE_URL is not set: using the embedded PostgreSQL.");
  const { startEmbeddedPostgres } = await import("./embedded");
  const server = await startEmbeddedPostgres({
    dataDir: opts.dataDir ?? e.QUANTFLOW_DATA_DIR,
    port: e.QUANTFLOW_PG_PORT,
    log: opts.log,
  });
  return { url: server.url, displayUrl: server.displayUrl, embedded: true, stop: () => server.stop() };
}

// ------------------------------------------------------------------------------- the app's pool

/**
 * Session settings of the app's connections. JIT off: the planner's cost estimates for queries over
 * the weekly partitions and the rollup views pass JIT's threshold, and compiling then takes ~250 ms,
 * far longer than these index-driven queries run (measured by npm run bench:candles).
 */
export const SESSION_OPTIONS = "-c jit=off";

interface Shared {
  pool?: pg.Pool;
  db?: NodePgDatabase<typeof schema>;
}
// Kept on globalThis so that `next dev` reloading this module does not open a pool per reload.
const shared = ((globalThis as { __quantflowDb?: Shared }).__quantflowDb ??= {});

/** The app's shared pool on DATABASE_URL (created on first use). */
export function getPool(): pg.Pool {
  if (!shared.pool) {
    const url = env().DATABASE_URL;
    if (!url) {
      throw new Error(
        "DATABASE_URL is not set. Start QuantFlow with `npm start` (it starts the embedded PostgreSQL and sets it), " +
          "or set DATABASE_URL to a PostgreSQL server.",
      );
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      application_name: "quantflow",
      options: SESSION_OPTIONS,
    });
    // An idle client losing its connection (server restart) must not crash the process.
    pool.on("error", (err) => console.error(`[db] idle connection error: ${err.message}`));
    shared.pool = pool;
  }
  return shared.pool;
}

/** Drizzle over the shared pool, typed by db/schema.ts. */
export function getDb(): NodePgDatabase<typeof schema> {
  shared.db ??= drizzle(getPool(), { schema });
  return shared.db;
}

/** Closes the shared pool (scripts and tests; the web server keeps it for its lifetime). */
export async function closePool(): Promise<void> {
  const pool = shared.pool;
  shared.pool = undefined;
  shared.db = undefined;
  await pool?.end();
}
