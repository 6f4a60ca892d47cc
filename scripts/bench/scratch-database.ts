/**
 * A migrated database of a benchmark's own on `serverUrl`, dropped afterwards (unless --keep), so a
 * bench never touches the demo or test data and starts from the same state every run.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate, type TimeSeriesEngine } from "../../db/migrate";

export interface ScratchDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  engine: TimeSeriesEngine;
}

export async function withScratchDatabase<T>(
  serverUrl: string,
  opts: { label: string; log: (line: string) => void; pool: Omit<pg.PoolConfig, "connectionString"> },
  work: (db: ScratchDatabase) => Promise<T>,
): Promise<T> {
  const name = `qf_bench_${opts.label}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = new pg.Pool({ ...opts.pool, connectionString: url });
  // The final DROP DATABASE … WITH (FORCE) may reach a connection the pool is still closing.
  pool.on("error", () => undefined);
  try {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { engine } = await migrate(client).finally(() => client.end());
    opts.log(`scratch database ${name} (${engine} time-series layer)`);
    return await work({ name, url, pool, engine });
  } finally {
    await pool.end().catch(() => undefined);
    if (process.argv.includes("--keep")) opts.log(`--keep: the scratch database ${name} is left in place`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
