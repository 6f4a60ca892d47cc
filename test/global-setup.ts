/**
 * One fresh, migrated database per `npm test` run: on DATABASE_URL's server when it is set (CI points
 * it at 127.0.0.1:5432), else on the embedded PostgreSQL. Tests reach it through test/db.ts.
 */
import { randomBytes } from "node:crypto";
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
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("The embedded test database is not wired yet: set DATABASE_URL.");

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
    const admin2 = new pg.Client({ connectionString: serverUrl });
    await admin2.connect();
    await admin2.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin2.end();
  };
}
