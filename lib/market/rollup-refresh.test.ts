/**
 * The scheduled rollup refresh: two app instances (two pools on one database) tick the same slot and
 * the refresh runs once; a change made in SQL below the refreshed range shows in 1h after the tick; the
 * tick's partition maintenance drops an empty past week.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR_MS, MINUTE_MS, readBars } from "@/test/candle-oracle";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { ingestCandles, refreshAggregates, type ConnectionSource, type RefreshResult } from "./ingest";
import { RollupRefreshSchedule } from "./rollup-refresh";

const db = scratchDatabaseForFile("rollup_refresh");
let pools: pg.Pool[] = [];

beforeAll(() => {
  pools = [new pg.Pool({ connectionString: db.url, max: 3 }), new pg.Pool({ connectionString: db.url, max: 3 })];
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

const T0 = new Date("2026-12-01T03:00:00Z");

describe("the scheduled rollup refresh", () => {
  it("runs once per slot across two instances ticking at the same time", async () => {
    const calls: string[] = [];
    const instances = pools.map(
      (pool, i) =>
        new RollupRefreshSchedule({
          db: pool,
          instance: `app-${i}`,
          intervalMinutes: 5,
          refresh: async (): Promise<RefreshResult> => {
            calls.push(`app-${i}`);
            await new Promise((r) => setTimeout(r, 50)); // a refresh takes a while: the other instance ticks meanwhile
            return { engine: "native" };
          },
          log: () => {},
        }),
    );
    for (const [k, now] of [T0, new Date(T0.getTime() + 90_000), new Date(T0.getTime() + 5 * MINUTE_MS + 1)].entries()) {
      const ran = await Promise.all(instances.map((s) => s.tick(now)));
      // The first two ticks are in one slot: only the first runs.
      expect(ran.filter(Boolean).length, `tick ${k}`).toBe(k === 1 ? 0 : 1);
    }
    expect(calls).toHaveLength(2);
    const { rows } = await db.pool.query("SELECT slot, instance, finished_at, error FROM market_rollup_refresh");
    expect(rows).toHaveLength(1);
    expect((rows[0]!.slot as Date).toISOString()).toBe("2026-12-01T03:05:00.000Z");
    expect(rows[0]).toMatchObject({ error: null, instance: calls[1] });
    expect(rows[0]!.finished_at).toBeInstanceOf(Date);
  });

  it("brings 1h up to date after a change made outside the ingest path", async () => {
    const hour = Math.floor((Date.now() - 30 * HOUR_MS) / HOUR_MS) * HOUR_MS;
    const rows = Array.from({ length: 30 }, (_, i) => ({ time: new Date(hour + i * MINUTE_MS), symbol: "HPG", open: 100, high: 110, low: 90, close: 105, volume: 10 }));
    await ingestCandles(db.pool, rows);
    await refreshAggregates(db.pool);
    await db.pool.query("UPDATE market_candles SET volume = 1000 WHERE symbol = 'HPG' AND time = $1", [new Date(hour)]);
    expect((await readBars(db.pool, "market_candles_1h", ["HPG"]))[0]?.volume).toBe(300); // stale until a refresh
    const schedule = new RollupRefreshSchedule({ db: pools[0]!, intervalMinutes: 5, log: () => {} });
    expect(await schedule.tick(new Date(T0.getTime() + 60 * MINUTE_MS))).toBe(true);
    expect((await readBars(db.pool, "market_candles_1h", ["HPG"]))[0]?.volume).toBe(29 * 10 + 1000);
  });

  it("records a failed refresh and runs again in the next slot", async () => {
    const lines: string[] = [];
    let fail = true;
    const schedule = new RollupRefreshSchedule({
      db: pools[1]! as ConnectionSource & pg.Pool,
      intervalMinutes: 5,
      refresh: async () => {
        if (fail) throw new Error("database went away");
        return { engine: "native" };
      },
      log: (l) => lines.push(l),
    });
    expect(await schedule.tick(new Date(T0.getTime() + 120 * MINUTE_MS))).toBe(true);
    expect((await db.pool.query("SELECT error FROM market_rollup_refresh")).rows[0]?.error).toBe("database went away");
    expect(lines.join("\n")).toMatch(/failed: database went away; the next slot tries again/);
    fail = false;
    expect(await schedule.tick(new Date(T0.getTime() + 125 * MINUTE_MS))).toBe(true);
    expect((await db.pool.query("SELECT error FROM market_rollup_refresh")).rows[0]?.error).toBeNull();
  });

  it("drops, in the same tick, the empty partition of a past week that a killed import left", async () => {
    // What a killed import leaves: its week made (committed), its write rolled back with the process.
    await db.pool.query("SELECT market_candles_ensure_partitions(ARRAY['2016-02-03T02:00:00Z'::timestamptz])");
    const lines: string[] = [];
    const schedule = new RollupRefreshSchedule({ db: pools[0]!, intervalMinutes: 5, log: (l) => lines.push(l) });
    expect(await schedule.tick(new Date(T0.getTime() + 130 * MINUTE_MS))).toBe(true);
    expect((await db.pool.query("SELECT to_regclass('market_candles_p20160201') AS p")).rows[0]?.p).toBeNull();
    expect(lines.join("\n")).toMatch(/dropped 1 empty partition\(s\) of past weeks: market_candles_p20160201/);
  });
});
