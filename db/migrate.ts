/**
 * The migration runner. drizzle's own migrator wraps every migration in one transaction, which a
 * TimescaleDB continuous aggregate cannot be created in, and it has no notion of a migration with two
 * shapes; this one keeps drizzle's folder and statement-breakpoint format and adds both:
 *
 * - `NNNN_name.sql` runs everywhere; `NNNN_name.timescale.sql` / `NNNN_name.native.sql` are the two
 *   shapes of one migration, picked by whether the `timescaledb` extension is available.
 * - A first line `-- qf:no-transaction` runs the file's statements one by one, outside a transaction
 *   (they must then be idempotent); otherwise the whole file applies in one transaction or not at all.
 *
 * Applied migrations are recorded with their checksum; a changed or unknown applied migration, or a
 * database that already holds tables QuantFlow did not create, is refused with a MigrationError.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** One connection: a pg.PoolClient / pg.Client, or anything that speaks the same (PGlite). */
export interface SqlConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export type TimeSeriesEngine = "timescale" | "native";

export interface Migration {
  id: string; // e.g. "0001_timeseries"
  file: string;
  engine: TimeSeriesEngine | "any";
  transactional: boolean;
  statements: string[];
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export const MIGRATIONS_DIR = fileURLToPath(new URL("../drizzle/", import.meta.url));
const LOCK_KEY = 7_204_815_001; // pg_advisory_lock key: one migrator per database at a time
const MIN_SERVER_VERSION = 150000;
const FILE_PATTERN = /^(\d{4}_[a-z0-9_]+?)(?:\.(timescale|native))?\.sql$/;

export function loadMigrations(engine: TimeSeriesEngine, dir = MIGRATIONS_DIR): Migration[] {
  const byId = new Map<string, Migration>();
  for (const file of readdirSync(dir).sort()) {
    const match = FILE_PATTERN.exec(file);
    if (!match) continue;
    const [, id, variant] = match as unknown as [string, string, TimeSeriesEngine | undefined];
    if (variant && variant !== engine) continue;
    const text = readFileSync(path.join(dir, file), "utf8");
    const statements = text
      .split(/^--> statement-breakpoint\s*$/m)
      .map((s) => s.trim())
      .filter((s) => s.replace(/^\s*--.*$/gm, "").trim() !== "");
    byId.set(id, {
      id,
      file,
      engine: variant ?? "any",
      transactional: !/^-- qf:no-transaction\b/.test(text),
      statements,
      checksum: createHash("sha256").update(text).digest("hex"),
    });
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export async function detectEngine(conn: SqlConnection): Promise<TimeSeriesEngine> {
  const { rows } = await conn.query(
    "SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'timescaledb'",
  );
  return Number(rows[0]?.n) > 0 ? "timescale" : "native";
}

async function assertMigratable(conn: SqlConnection): Promise<void> {
  const version = await conn.query("SELECT current_setting('server_version_num')::int AS v");
  const v = Number(version.rows[0]?.v);
  if (v < MIN_SERVER_VERSION) {
    throw new MigrationError(
      `PostgreSQL ${Math.floor(v / 10000)} is too old: QuantFlow needs PostgreSQL 15 or newer.`,
    );
  }
  const tracked = await conn.query("SELECT to_regclass('qf_migrations') IS NOT NULL AS tracked");
  if (tracked.rows[0]?.tracked) return;
  const foreign = await conn.query(
    `SELECT string_agg(c.relname, ', ' ORDER BY c.relname) AS names
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')
        AND c.relname IN ('users', 'workflows', 'workflow_execution_logs', 'value_chain_nodes',
                          'value_chain_edges', 'portfolio_allocations', 'market_candles', 'market_symbols')`,
  );
  const names = foreign.rows[0]?.names;
  if (names) {
    throw new MigrationError(
      `This database already has tables QuantFlow did not create (${String(names)}) and no migration record. ` +
        "Point DATABASE_URL at an empty database, or unset it to use the embedded one.",
    );
  }
}

export interface MigrateResult {
  engine: TimeSeriesEngine;
  applied: string[];
}

/**
 * Applies pending migrations on one connection. Safe to run from several app instances at once
 * (an advisory lock serialises them) and idempotent (the second run applies nothing).
 */
export async function migrate(
  conn: SqlConnection,
  opts: { log?: (line: string) => void; dir?: string } = {},
): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  try {
    await conn.query("SELECT 1");
  } catch (error) {
    throw new MigrationError(`Cannot reach the database: ${(error as Error).message}`);
  }
  await conn.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
  try {
    await assertMigratable(conn);
    const engine = await detectEngine(conn);
    const migrations = loadMigrations(engine, opts.dir);
    try {
      await conn.query(
        `CREATE TABLE IF NOT EXISTS qf_migrations (
           id TEXT PRIMARY KEY, file TEXT NOT NULL, checksum TEXT NOT NULL,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
    } catch (error) {
      throw new MigrationError(
        `Cannot create the migration record (does the user own this database?): ${(error as Error).message}`,
      );
    }
    const done = new Map(
      (await conn.query("SELECT id, file, checksum FROM qf_migrations")).rows.map((r) => [
        String(r.id),
        { file: String(r.file), checksum: String(r.checksum) },
      ]),
    );
    const known = new Set(migrations.map((m) => m.id));
    const unknown = [...done.keys()].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new MigrationError(
        `The database was migrated by a newer QuantFlow (unknown migrations: ${unknown.join(", ")}). ` +
          "Upgrade this checkout before running it against that database.",
      );
    }
    const applied: string[] = [];
    for (const m of migrations) {
      const previous = done.get(m.id);
      if (previous) {
        if (previous.file !== m.file) {
          throw new MigrationError(
            `Migration ${m.id} was applied as ${previous.file} but this server would need ${m.file}: ` +
              "the TimescaleDB extension was installed or removed after the database was created.",
          );
        }
        if (previous.checksum !== m.checksum) {
          throw new MigrationError(
            `Migration ${m.file} changed after it was applied to this database; write a new migration instead.`,
          );
        }
        continue;
      }
      log(`applying ${m.file}`);
      await applyOne(conn, m);
      applied.push(m.file);
    }
    return { engine, applied };
  } finally {
    await conn.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => {});
  }
}

async function applyOne(conn: SqlConnection, m: Migration): Promise<void> {
  const record = () =>
    conn.query("INSERT INTO qf_migrations (id, file, checksum) VALUES ($1, $2, $3)", [
      m.id,
      m.file,
      m.checksum,
    ]);
  if (!m.transactional) {
    for (const [i, statement] of m.statements.entries()) {
      await runStatement(conn, m, i, statement);
    }
    await record();
    return;
  }
  await conn.query("BEGIN");
  try {
    for (const [i, statement] of m.statements.entries()) {
      await runStatement(conn, m, i, statement);
    }
    await record();
    await conn.query("COMMIT");
  } catch (error) {
    await conn.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

async function runStatement(conn: SqlConnection, m: Migration, index: number, statement: string) {
  try {
    await conn.query(statement);
  } catch (error) {
    const firstLine = statement.split("\n").find((l) => l.trim() && !l.trim().startsWith("--")) ?? "";
    throw new MigrationError(
      `${m.file}, statement ${index + 1} (${firstLine.trim().slice(0, 80)}): ${(error as Error).message}`,
    );
  }
}
