/**
 * The nightly recomputation with TWO app instances (two pools, two pg-boss objects) on one database of
 * this file's own, seeded with a little demo data (iron ore and HPG, their demo link): both tick the same
 * minutes with a fake clock; a trading day's recomputation is sent once and runs once, storing a history
 * row per edge; before 15:30 and on days the exchanges are closed nothing is sent.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { seedDemoData } from "@/lib/demo/seed";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { NightlyChainRecompute, nightlyDayAt, nightlyJobId } from "./nightly";

const scratch = scratchDatabaseForFile("vc_nightly");
const pools: pg.Pool[] = [];
const instances: NightlyChainRecompute[] = [];
const SEEDED = new Date("2026-11-20T09:00:00Z");

beforeAll(async () => {
  await seedDemoData(scratch.pool, { now: SEEDED, symbols: ["IRON_ORE", "HPG"], intradayDays: 2, demoUser: false });
  for (let i = 0; i < 2; i++) {
    const pool = new pg.Pool({ connectionString: scratch.url, max: 4 });
    pool.on("error", () => undefined);
    pools.push(pool);
    const instance = new NightlyChainRecompute({ db: drizzle(pool, { schema }), pool, schema: "pgboss_nightly", pollingIntervalSeconds: 0.5, supervise: false, log: () => {} });
    await instance.start();
    instances.push(instance);
  }
});

afterAll(async () => {
  for (const i of instances) await i.stop();
  for (const p of pools) await p.end();
});

const history = async () =>
  (await scratch.pool.query<{ as_of: string; computed_by: string | null; n: number }>("SELECT as_of::text, computed_by, n FROM value_chain_analyses ORDER BY id")).rows;
const nightlyRuns = async () =>
  (await scratch.pool.query("SELECT trading_day::text AS day, edges_stored, edges_failed, error, finished_at IS NOT NULL AS finished FROM value_chain_nightly_runs ORDER BY trading_day")).rows;

async function settled(day: string) {
  for (let i = 0; i < 100; i++) {
    const runs = await nightlyRuns();
    if (runs.some((r) => r.day === day && r.finished)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // A little longer: a second run, if there were one, would show up now.
  await new Promise((r) => setTimeout(r, 1500));
}

describe("the nightly recomputation", () => {
  it("is due from 15:30 in Vietnam on trading days only", () => {
    expect(nightlyDayAt(new Date("2026-11-20T08:30:00Z"))).toBe("2026-11-20"); // Friday 15:30
    expect(nightlyDayAt(new Date("2026-11-20T16:59:00Z"))).toBe("2026-11-20"); // Friday 23:59
    expect(nightlyDayAt(new Date("2026-11-20T08:29:00Z"))).toBeUndefined(); // Friday 15:29
    expect(nightlyDayAt(new Date("2026-11-21T08:30:00Z"))).toBeUndefined(); // Saturday
    expect(nightlyDayAt(new Date("2026-09-02T08:30:00Z"))).toBeUndefined(); // National Day
    expect(nightlyJobId("2026-11-20")).toBe(nightlyJobId("2026-11-20"));
    expect(nightlyJobId("2026-11-20")).not.toBe(nightlyJobId("2026-11-19"));
  });

  it("on a trading day: both instances tick, the job is sent once and runs once, storing a history row per edge", async () => {
    const before = (await history()).length;
    // Both instances tick 15:30 and 15:31 of Friday 20 November 2026.
    const sent: boolean[] = [];
    for (const minute of ["2026-11-20T08:30:00Z", "2026-11-20T08:31:00Z"]) {
      sent.push(...(await Promise.all(instances.map((i) => i.tick(new Date(minute))))));
    }
    expect(sent.filter(Boolean).length).toBe(1);
    await settled("2026-11-20");
    const rows = (await history()).slice(before);
    // The demo chain cut to these two symbols has one edge: iron ore → HPG.
    expect(rows.map((r) => `${r.as_of} ${r.computed_by}`)).toEqual(["2026-11-20 null"]);
    expect(rows[0]!.n).toBeGreaterThan(700);
    expect(await nightlyRuns()).toEqual([{ day: "2026-11-20", edges_stored: 1, edges_failed: 0, error: null, finished: true }]);
    const { rows: edges } = await scratch.pool.query("SELECT lead_time_days FROM value_chain_edges");
    expect(edges).toEqual([{ lead_time_days: 3 }]);
  });

  it("runs a day once even when its job is sent again (after pg-boss archived the first)", async () => {
    const before = (await history()).length;
    expect(await instances[1]!.run("2026-11-20")).toBe("already-ran");
    expect((await history()).length).toBe(before);
  });

  it("sends nothing before 15:30, on a weekend or on a holiday", async () => {
    const { rows: jobsBefore } = await scratch.pool.query("SELECT count(*)::int AS n FROM pgboss_nightly.job");
    for (const at of ["2026-11-19T08:29:00Z", "2026-11-21T08:30:00Z", "2026-11-22T10:00:00Z", "2026-09-02T09:00:00Z"]) {
      expect(await Promise.all(instances.map((i) => i.tick(new Date(at)))), at).toEqual([false, false]);
    }
    const { rows: jobsAfter } = await scratch.pool.query("SELECT count(*)::int AS n FROM pgboss_nightly.job");
    expect(jobsAfter[0].n).toBe(jobsBefore[0].n);
    expect((await nightlyRuns()).map((r) => r.day)).toEqual(["2026-11-20"]);
  });
});
