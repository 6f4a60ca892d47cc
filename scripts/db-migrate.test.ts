/**
 * `npm run db:migrate` as a process, against scratch databases on this run's server: migrates an empty
 * database, says "up to date" the second time, and refuses a database holding tables it did not create.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "@/test/db";

const root = fileURLToPath(new URL("..", import.meta.url));
const created: string[] = [];

async function admin<T>(fn: (client: pg.Client) => Promise<T>, database?: string): Promise<T> {
  const url = new URL(testDatabaseUrl());
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function scratchDatabase(): Promise<string> {
  const name = `qf_migcli_${created.length}_${process.pid}_${Date.now().toString(36)}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  created.push(name);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  await admin(async (c) => {
    for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
});

function dbMigrate(databaseUrl: string) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", DATABASE_URL: databaseUrl },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("npm run db:migrate", () => {
  it("applies the migrations, then says up to date; never prints the password", async () => {
    const url = await scratchDatabase();
    const first = dbMigrate(url);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Applied \d+ migration\(s\)/);
    const second = dbMigrate(url);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/Database up to date/);
    const password = new URL(url).password;
    if (password) expect(first.stdout + second.stdout).not.toContain(password);
  });

  it("refuses a database with tables it did not create: a clear message and exit 1", async () => {
    const url = await scratchDatabase();
    await admin((c) => c.query("CREATE TABLE users (id int)"), new URL(url).pathname.slice(1));
    const run = dbMigrate(url);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Cannot migrate this database: .*tables QuantFlow did not create \(users\)/);
  });

  it("exits 1 with a clear message when the server cannot be reached", () => {
    const run = dbMigrate("postgresql://qf:secret-xyz@127.0.0.1:1/none");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Cannot connect to postgresql:\/\/qf:\*\*\*\*\*@127\.0\.0\.1:1\/none/);
    expect(run.stdout + run.stderr).not.toContain("secret-xyz");
  });
});
