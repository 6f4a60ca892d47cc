/**
 * A migrated database of a test file's own, on the run's server, for tests that need the global state
 * of a table to themselves (watermarks, TRUNCATE, counting every row). Dropped after the file.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { migrate } from "@/db/migrate";
import { testDatabaseUrl } from "./db";

export interface ScratchDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Call at the top of a test file; the database exists from beforeAll on. */
export function scratchDatabaseForFile(label: string): ScratchDatabase {
  const name = `qf_scratch_${label.replace(/\W/g, "_")}_${randomBytes(4).toString("hex")}`;
  let pool: pg.Pool | undefined;
  let url = "";
  beforeAll(async () => {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    const u = new URL(testDatabaseUrl());
    u.pathname = `/${name}`;
    url = u.toString();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migrate(client);
    } finally {
      await client.end();
    }
    pool = new pg.Pool({ connectionString: url, max: 4 });
    // pool.end() can resolve before its clients have closed; the DROP … WITH (FORCE) below then ends
    // them, which must not surface as an unhandled error of the test run.
    pool.on("error", () => undefined);
  });
  afterAll(async () => {
    await pool?.end();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });
  return {
    get url() {
      return url;
    },
    get pool() {
      if (!pool) throw new Error("The scratch database exists from beforeAll on.");
      return pool;
    },
  };
}
