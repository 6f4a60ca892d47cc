/**
 * The native daily rollup (market_candles_1d_materialized, drizzle/0016_candle_speed.native.sql) and
 * the market snapshot read from the rollups, on the demo data, in a database of this file's own (the
 * watermark is global):
 * - the refresh materialises exactly the days below the day watermark (the start of the Vietnamese day
 *   holding the hourly watermark), each the aggregation of its hours, with its traded value;
 * - it is incremental: a later refresh rewrites only the days whose hours a write touched (their rows'
 *   xmin changes, the others' does not), and materialises a day once the watermark passes it;
 * - the official end-of-day bar is the 1D bar wherever stored, with no refresh;
 * - the stored 1D bars (market_candles_1d_bars, drizzle/0021_daily_bars.native.sql) are what
 *   market_candles_1d shows below the day watermark, after every step;
 * - computeSnapshot (one statement, from the rollups) answers what the computation from the 1-minute
 *   bars it replaced answers, before any refresh, after one, and with a new minute above the watermark.
 */
import Decimal from "decimal.js";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "@/lib/demo/seed";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { nextTradingDay, sessionMinutes, vnMidnightUtc } from "./calendar";
import { lastCloseBefore } from "./candles";
import { ingestCandles, ingestDailyBars, refreshAggregates } from "./ingest";
import type { Queryable } from "./queryable";
import { computeSnapshot, SNAPSHOT_MARKETS } from "./snapshot";
import { toVnIso } from "../time";
import type { ExchangeCode } from "./types";

const db = scratchDatabaseForFile("daily_rollup");
let lastDay = "";

beforeAll(async () => {
  const seeded = await seedDemoData(db.pool, { demoUser: false });
  lastDay = seeded.lastDay;
  // The seed refreshes the rollups; back to nothing materialised (what TRUNCATE market_candles does to them).
  await db.pool.query("TRUNCATE market_candles_1h_materialized, market_candles_1d_materialized, market_candles_1d_bars, market_candles_1h_invalidations");
  await db.pool.query("UPDATE market_candles_1h_watermark SET watermark = '-infinity'");
}, 240_000);

/**
 * The snapshot as computed before issue 14 (lib/market/snapshot.ts then): VNINDEX's closes through
 * lastCloseBefore, the session's value summed from the 1-minute bars. The reference for the new one.
 */
async function snapshotFromMinutes(q: Queryable, market: ExchangeCode, now: Date) {
  const sql = `WITH stocks AS (SELECT symbol FROM market_symbols WHERE kind = 'stock' AND exchange = $1),
     latest AS (
       SELECT max(x.t) AS t FROM stocks s CROSS JOIN LATERAL (
         (SELECT time AS t FROM market_candles WHERE symbol = s.symbol AND time >= $2 ORDER BY time DESC LIMIT 1)
         UNION ALL
         (SELECT time AS t FROM market_candles_eod WHERE symbol = s.symbol AND time >= $2 ORDER BY time DESC LIMIT 1)) AS x),
     session AS (SELECT t, date_bin('1 day', t, '2000-01-02 17:00+00') AS d FROM latest)
     SELECT session.t AS latest, sum(v.value)::text AS value
       FROM session CROSS JOIN stocks s CROSS JOIN LATERAL (
         SELECT COALESCE(
           (SELECT sum(close::numeric * volume) FROM market_candles
             WHERE symbol = s.symbol AND time >= session.d AND time < session.d + interval '1 day'),
           (SELECT close::numeric * volume FROM market_candles_eod WHERE symbol = s.symbol AND time = session.d)) AS value) AS v
      WHERE session.t IS NOT NULL
      GROUP BY session.t`;
  let { rows } = await q.query(sql, [market, new Date(now.getTime() - 31 * 86_400_000)]);
  if (rows.length === 0) ({ rows } = await q.query(sql, [market, "-infinity"]));
  const traded = rows[0] as { latest: Date; value: string | null } | undefined;
  const last = await lastCloseBefore(q, "VNINDEX", new Date(now.getTime() + 2 * 86_400_000));
  let change: number | null = null;
  if (last) {
    const previous = await lastCloseBefore(q, "VNINDEX", new Date(Date.parse(`${toVnIso(last.time).slice(0, 10)}T00:00:00+07:00`)));
    if (previous && previous.close > 0) change = new Decimal(last.close).minus(previous.close).div(previous.close).times(100).toDecimalPlaces(2).toNumber();
  }
  const asOf = [last?.time, traded?.latest].filter((t): t is Date => !!t).sort((a, b) => b.getTime() - a.getTime())[0];
  return {
    market,
    vn_index: last ? new Decimal(last.close).toDecimalPlaces(2).toNumber() : null,
    vn_index_change_pct: change,
    dxy: null,
    foreign_net_flow: null,
    market_liquidity: traded ? new Decimal(traded.value ?? 0).toDecimalPlaces(0).toNumber() : null,
    timestamp: toVnIso(asOf ?? now),
  };
}

async function expectSnapshotsAsBefore() {
  const now = new Date();
  for (const market of SNAPSHOT_MARKETS) {
    const fresh = await computeSnapshot(db.pool, market, () => now);
    expect(fresh, market).toEqual(await snapshotFromMinutes(db.pool, market, now));
    expect(fresh.market_liquidity, market).toBeGreaterThan(0);
  }
}

const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows as T[];
const one = async <T,>(sql: string, params: unknown[] = []): Promise<T> => {
  const [row] = await q<T>(sql, params);
  if (!row) throw new Error(`no row: ${sql}`);
  return row;
};

/** The days the hourly rollup holds below the day watermark, aggregated here, and what the daily rollup holds. */
async function expectDaysAreTheirHours() {
  const { dwm } = await one<{ dwm: Date }>("SELECT market_candles_day_watermark(watermark) AS dwm FROM market_candles_1h_watermark");
  const fromHours = await q(
    `SELECT date_bin('1 day', bucket, '2000-01-02 17:00+00') AS bucket, symbol,
            (array_agg(open ORDER BY bucket))[1] AS open, max(high) AS high, min(low) AS low,
            (array_agg(close ORDER BY bucket DESC))[1] AS close, sum(volume)::bigint AS volume, sum(value)::text AS value
       FROM market_candles_1h_materialized WHERE bucket < $1 GROUP BY 1, 2 ORDER BY 2, 1`,
    [dwm],
  );
  const days = await q("SELECT bucket, symbol, open, high, low, close, volume, value::text AS value FROM market_candles_1d_materialized ORDER BY symbol, bucket");
  expect(days).toEqual(fromHours);
  // And the value is the minutes' Σ close × volume.
  const [check] = await q<{ bad: number }>(
    `SELECT count(*)::int AS bad FROM market_candles_1d_materialized d
      WHERE d.value <> (SELECT sum(c.close::numeric * c.volume) FROM market_candles c
                         WHERE c.symbol = d.symbol AND c.time >= d.bucket AND c.time < d.bucket + interval '24 hours')`,
  );
  expect(check!.bad).toBe(0);
  // The stored 1D bars (drizzle/0021_daily_bars.native.sql): what market_candles_1d shows below the day watermark.
  const shown = await q("SELECT bucket, symbol, open, high, low, close, volume FROM market_candles_1d WHERE bucket < $1 ORDER BY symbol, bucket", [dwm]);
  expect(await q("SELECT bucket, symbol, open, high, low, close, volume FROM market_candles_1d_bars ORDER BY symbol, bucket")).toEqual(shown);
  return { dwm, count: days.length };
}

describe("the daily rollup", () => {
  it("the snapshot answers as before with nothing materialised", async () => {
    expect(await q("SELECT 1 FROM market_candles_1d_materialized LIMIT 1")).toEqual([]);
    await expectSnapshotsAsBefore();
  });

  it("a refresh materialises the days below the day watermark, each from its hours, with its value", async () => {
    await refreshAggregates(db.pool);
    const { dwm, count } = await expectDaysAreTheirHours();
    expect(count).toBeGreaterThan(100);
    const { wm } = await one<{ wm: Date }>("SELECT watermark AS wm FROM market_candles_1h_watermark");
    // The start of the Vietnamese day holding the hourly watermark.
    expect(dwm.getTime()).toBe(vnMidnightUtc(toVnIso(wm).slice(0, 10)).getTime());
    const { above } = await one<{ above: number }>("SELECT count(*)::int AS above FROM market_candles_1d_materialized WHERE bucket >= $1", [dwm]);
    expect(above).toBe(0);
    await expectSnapshotsAsBefore();
  });

  it("rewrites only the days a later write touched, and materialises a day once the watermark passes it", async () => {
    const { dwm } = await one<{ dwm: Date }>("SELECT market_candles_day_watermark(watermark) AS dwm FROM market_candles_1h_watermark");
    const before = await q<{ k: string; x: string }>("SELECT symbol || '|' || bucket::text AS k, xmin::text AS x FROM market_candles_1d_materialized");
    // One materialised day of one symbol: a bar updated.
    const bar = await one<{ time: Date; symbol: string; open: number; high: number; low: number; close: number; volume: string }>(
      `SELECT time, symbol, open, high, low, close, volume FROM market_candles
        WHERE symbol = 'HPG' AND time < $1::timestamptz - interval '3 days' ORDER BY time DESC LIMIT 1`,
      [dwm],
    );
    await ingestCandles(db.pool, [{ ...bar, volume: Number(bar.volume) + 100 }]);
    await refreshAggregates(db.pool);
    await expectDaysAreTheirHours();
    const after = new Map((await q<{ k: string; x: string }>("SELECT symbol || '|' || bucket::text AS k, xmin::text AS x FROM market_candles_1d_materialized")).map((r) => [r.k, r.x]));
    const rewritten = before.filter((r) => after.get(r.k) !== r.x).map((r) => r.k);
    const { touched } = await one<{ touched: string }>("SELECT 'HPG|' || date_bin('1 day', $1::timestamptz, '2000-01-02 17:00+00')::text AS touched", [bar.time]);
    expect(rewritten).toEqual([touched]);

    // The next session's minutes for HPG: the watermark passes the last day, which is then materialised.
    const next = nextTradingDay(lastDay);
    const minutes = sessionMinutes("HOSE", next).slice(0, 90);
    const { close } = await one<{ close: number }>("SELECT close FROM market_candles WHERE symbol = 'HPG' ORDER BY time DESC LIMIT 1");
    await db.pool.query("INSERT INTO market_bar_overrides (symbol, trade_date, reason) VALUES ('HPG', $1::date, 'test data')", [next]);
    await ingestCandles(db.pool, minutes.map((time) => ({ time, symbol: "HPG", open: close, high: close + 50, low: close - 50, close: close, volume: 1_000 })));
    await refreshAggregates(db.pool);
    const moved = await expectDaysAreTheirHours();
    if (minutes[0]!.getTime() < Date.now() - 3_600_000) {
      // The new session is in the past (the demo's last day is before today): its first hours are below the clock.
      expect(moved.dwm.getTime()).toBe(vnMidnightUtc(next).getTime());
      expect(await q("SELECT 1 FROM market_candles_1d_materialized WHERE bucket = $1 LIMIT 1", [vnMidnightUtc(lastDay)])).toHaveLength(1);
    }
    await expectSnapshotsAsBefore();
  });

  it("takes the official end-of-day bar over the materialised day, at once", async () => {
    const { bucket } = await one<{ bucket: Date }>("SELECT bucket FROM market_candles_1d_materialized WHERE symbol = 'HPG' ORDER BY bucket DESC LIMIT 1");
    const official = { time: bucket, symbol: "HPG", open: 10_000, high: 10_000, low: 10_000, close: 10_000, volume: 42 };
    await db.pool.query("INSERT INTO market_bar_overrides (symbol, trade_date, reason) VALUES ('HPG', $1::date, 'test data') ON CONFLICT DO NOTHING", [toVnIso(bucket).slice(0, 10)]);
    await ingestDailyBars(db.pool, [official]);
    const range = await q("SELECT open, volume FROM market_candles_1d_range('HPG', $1, $2, 1)", [bucket, new Date(bucket.getTime() + 86_400_000)]);
    expect(range).toEqual([{ open: 10_000, volume: "42" }]);
    const view = await q("SELECT open, volume FROM market_candles_1d WHERE symbol = 'HPG' AND bucket = $1", [bucket]);
    expect(view).toEqual([{ open: 10_000, volume: "42" }]);
    await expectDaysAreTheirHours();
    await expectSnapshotsAsBefore();
  });

  it("the snapshot with a new minute above the watermark (read live), as before", async () => {
    const { t } = await one<{ t: Date }>("SELECT max(time) AS t FROM market_candles");
    const time = new Date(t.getTime() + 60_000);
    const { close } = await one<{ close: number }>("SELECT close FROM market_candles WHERE symbol = 'HPG' ORDER BY time DESC LIMIT 1");
    await db.pool.query("INSERT INTO market_bar_overrides (symbol, trade_date, reason) VALUES ('HPG', $1::date, 'test data') ON CONFLICT DO NOTHING", [toVnIso(time).slice(0, 10)]);
    await ingestCandles(db.pool, [{ time, symbol: "HPG", open: close, high: close, low: close, close: close, volume: 777 }]);
    await expectSnapshotsAsBefore();
  });
});
