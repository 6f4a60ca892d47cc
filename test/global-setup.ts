/**
 * One fresh, migrated database per `npm test` run: on DATABASE_URL's server when it is set (CI points
 * it at 127.0.0.1:5432), else on the embedded PostgreSQL. Tests reach it through test/db.ts.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrate } from "../db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    // No DATABASE_URL: the embedded PostgreSQL, in a data dir of its own (<QUANTFLOW_DATA_DIR>/test) so that
    // the demo database of `npm start` is never touched; it is stopped at teardown.
    const { startEmbeddedPostgres } = await import("../db/embedded");
    const { env } = await import("../lib/env");
    const server = await startEmbeddedPostgres({
      dataDir: path.join(env().QUANTFLOW_DATA_DIR, "test"),
      log: (line) => console.log(`[test database] ${line}`),
    });
    serverUrl = server.url;
    stopEmbedded = () => server.stop();
  }

  const name = `qf_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const url = withDatabase(serverUrl, name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(client);
  } finally {
    await client.end();
  }
  project.provide("databaseUrl", url);

  return async () => {
    try {
      const admin2 = new pg.Client({ connectionString: serverUrl });
      await admin2.connect();
      await admin2.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin2.end();
    } finally {
      await stopEmbedded?.();
    }
  };
}
