import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "@/test/db";
import { loadMigrations, migrate, MigrationError } from "./migrate";

/** Scratch databases on the test server, dropped after the file. */
const created: string[] = [];
async function scratchDatabase(): Promise<pg.Client> {
  const name = `qf_mig_${created.length}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  created.push(name);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}
afterAll(async () => {
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "qf-migrations-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("migrate", () => {
  it("applies the project's migrations once; a second run applies nothing", async () => {
    const db = await scratchDatabase();
    try {
      const first = await migrate(db);
      expect(first.engine).toBe("native"); // no timescaledb on this server
      expect(first.applied[0]).toBe("0000_relational.sql");
      const second = await migrate(db);
      expect(second.applied).toEqual([]);
      const { rows } = await db.query("SELECT count(*)::int AS n FROM qf_migrations");
      expect(rows[0].n).toBe(first.applied.length);
    } finally {
      await db.end();
    }
  });

  it("serialises two instances migrating the same database at once", async () => {
    const [a, b] = [await scratchDatabase(), await scratchDatabase()];
    await b.end();
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${created.at(-2)}`;
    const twin = new pg.Client({ connectionString: url.toString() });
    await twin.connect();
    try {
      const results = await Promise.all([migrate(a), migrate(twin)]);
      const all = results.flatMap((r) => r.applied);
      expect(all.length).toBe(loadMigrations("native").length);
      expect(new Set(all).size).toBe(all.length);
    } finally {
      await a.end();
      await twin.end();
    }
  });

  it("picks the native or timescale shape of a migration", () => {
    const dir = migrationsDir({
      "0001_series.native.sql": "SELECT 1",
      "0001_series.timescale.sql": "SELECT 2",
      "0002_plain.sql": "SELECT 3",
      "notes.txt": "ignored",
    });
    try {
      expect(loadMigrations("native", dir).map((m) => m.file)).toEqual(["0001_series.native.sql", "0002_plain.sql"]);
      expect(loadMigrations("timescale", dir).map((m) => m.file)).toEqual([
        "0001_series.timescale.sql",
        "0002_plain.sql",
      ]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("rolls a failing migration back whole and names the statement", async () => {
    const db = await scratchDatabase();
    const dir = migrationsDir({
      "0001_ok.sql": "CREATE TABLE a (x int)",
      "0002_broken.sql": "CREATE TABLE b (x int)\n--> statement-breakpoint\nINSERT INTO b VALUES ('not a number')",
    });
    try {
      const error = await migrate(db, { dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(/0002_broken\.sql, statement 2 \(INSERT INTO b/);
      const { rows } = await db.query("SELECT to_regclass('a') AS a, to_regclass('b') AS b");
      expect(rows[0]).toEqual({ a: "a", b: null });
    } finally {
      await db.end();
      rmSync(dir, { recursive: true });
    }
  });

  it("runs a no-transaction migration statement by statement", async () => {
    const db = await scratchDatabase();
    // CREATE DATABASE cannot run inside a transaction block: it only passes outside one.
    const name = `qf_mig_notx_${process.pid}`;
    const dir = migrationsDir({ "0001_notx.sql": `-- qf:no-transaction\nCREATE DATABASE ${name}` });
    try {
      expect((await migrate(db, { dir })).applied).toEqual(["0001_notx.sql"]);
    } finally {
      await db.query(`DROP DATABASE IF EXISTS ${name}`);
      await db.end();
      rmSync(dir, { recursive: true });
    }
  });

  it("refuses a database holding tables it did not create", async () => {
    const db = await scratchDatabase();
    try {
      await db.query("CREATE TABLE users (id int)");
      await expect(migrate(db)).rejects.toThrow(/already has tables QuantFlow did not create \(users\)/);
      const { rows } = await db.query("SELECT to_regclass('qf_migrations') AS t");
      expect(rows[0].t).toBeNull();
    } finally {
      await db.end();
    }
  });

  it("refuses an applied migration that changed, and one it does not know", async () => {
    const db = await scratchDatabase();
    const dir = migrationsDir({ "0001_a.sql": "CREATE TABLE a (x int)" });
    try {
      await migrate(db, { dir });
      writeFileSync(path.join(dir, "0001_a.sql"), "CREATE TABLE a (x bigint)");
      await expect(migrate(db, { dir })).rejects.toThrow(/0001_a\.sql changed after it was applied/);
      rmSync(path.join(dir, "0001_a.sql"));
      await expect(migrate(db, { dir })).rejects.toThrow(/migrated by a newer QuantFlow \(unknown migrations: 0001_a\)/);
    } finally {
      await db.end();
      rmSync(dir, { recursive: true });
    }
  });
});
