/**
 * market_candles_1h_range / market_candles_1d_range / market_candles_exist_before
 * (drizzle/0003_candle_reads.native.sql) against the views they stand for, on the real PostgreSQL, in
 * every state of the 1h rollup: nothing materialised, a watermark in the middle of the windows (hours
 * below it materialised, above it live), hours invalidated by updates, deletes and backfills but not
 * yet refreshed (the views then show the stale materialised rows; so must the functions), end-of-day
 * bars on days with no, some or all of their 1-minute bars, and empty windows. A database of its own:
 * the watermark is global.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { sessionMinutes } from "./calendar";
import { ingestCandles, ingestDailyBars, refreshAggregates } from "./ingest";
import type { CandleRow } from "./types";

const db = scratchDatabaseForFile("candle_reads");

const vn = (s: string) => new Date(`${s}+07:00`);
const MINUTE_MS = 60_000;

/** HOSE session minutes of `days`, a deterministic walk. */
function minuteBars(symbol: string, days: string[], seed: number): CandleRow[] {
  const rows: CandleRow[] = [];
  let i = seed;
  for (const day of days) {
    for (const time of sessionMinutes("HOSE", day)) {
      const open = 20_000 + ((i * 37) % 40) * 50;
      const close = open + (((i * 11) % 5) - 2) * 50;
      rows.push({ time, symbol, open, high: Math.max(open, close) + 50, low: Math.min(open, close) - 50, close, volume: 100 * (1 + (i % 13)) });
      i++;
    }
  }
  return rows;
}

/** Around the clock across 00:00 in Vietnam, so a day's hours come from both sides of it. */
function aroundMidnight(symbol: string, midnight: Date, minutes: number): CandleRow[] {
  return Array.from({ length: minutes }, (_, i) => {
    const p = 100 + (i % 9) * 0.25;
    return { time: new Date(midnight.getTime() + (i - minutes / 2) * MINUTE_MS), symbol, open: p, high: p + 0.5, low: p - 0.5, close: p + 0.25, volume: 10 + i };
  });
}

const SYMBOLS = ["HPG", "HSG", "IRON_ORE", "NONE"];
const EARLY = ["2025-03-03", "2025-03-04", "2025-03-05"];
const LATE = ["2025-03-06", "2025-03-07", "2025-03-10"];
const EOD_DAYS = ["2025-02-26", "2025-02-27", "2025-02-28", "2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-11"];

/** Window edges: open-ended, whole days, whole hours, odd minutes, inside and outside the data. */
const EDGES = [
  "-infinity",
  "2025-02-20T00:00:00",
  "2025-02-27T00:00:00",
  "2025-03-03T00:00:00",
  "2025-03-04T10:00:00",
  "2025-03-04T10:37:00",
  "2025-03-05T00:00:00",
  "2025-03-06T13:30:00",
  "2025-03-07T00:00:00",
  "2025-03-10T23:59:00",
  "2025-03-12T00:00:00",
  "infinity",
].map((e) => (e.endsWith("infinity") ? e : vn(e).toISOString()));

type Read = Record<string, unknown>[];

async function fromFunction(fn: string, symbol: string, from: string, to: string, limit: number | null): Promise<Read> {
  const { rows } = await db.pool.query(`SELECT bucket, open, high, low, close, volume FROM ${fn}($1, $2, $3, $4)`, [symbol, from, to, limit]);
  return rows;
}

/** Every window of EDGES × SYMBOLS (× a few limits when open-ended): symbol, from, to, limit. */
const WINDOWS: [string, string, string, number | null][] = SYMBOLS.flatMap((symbol) =>
  EDGES.flatMap((from, i) =>
    EDGES.slice(i + 1).flatMap((to) => (from === "-infinity" ? [null, 1, 4] : [null]).map((limit) => [symbol, from, to, limit] as [string, string, string, number | null])),
  ),
);

/**
 * The functions give exactly the views' rows on every window; one statement per view (the windows
 * unnested, each read both ways as JSON, whose numbers keep every digit of a double).
 */
async function expectFunctionsEqualViews(): Promise<{ nonEmpty: number; empty: number }> {
  let nonEmpty = 0;
  let empty = 0;
  for (const [view, fn] of [
    ["market_candles_1h", "market_candles_1h_range"],
    ["market_candles_1d", "market_candles_1d_range"],
  ] as const) {
    const { rows } = await db.pool.query(
      `SELECT w.symbol, w.lo, w.hi, w.lim,
              (SELECT coalesce(json_agg(v), '[]') FROM (
                 SELECT bucket, open, high, low, close, volume FROM ${view}
                  WHERE symbol = w.symbol AND bucket >= w.lo AND bucket < w.hi ORDER BY bucket DESC LIMIT w.lim) AS v) AS expected,
              (SELECT coalesce(json_agg(f), '[]') FROM ${fn}(w.symbol, w.lo, w.hi, w.lim) AS f) AS got
         FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::int[]) AS w(symbol, lo, hi, lim)`,
      [WINDOWS.map((w) => w[0]), WINDOWS.map((w) => w[1]), WINDOWS.map((w) => w[2]), WINDOWS.map((w) => w[3])],
    );
    expect(rows.length).toBe(WINDOWS.length);
    for (const r of rows) {
      expect(r.got, `${fn}(${String(r.symbol)}, ${String(r.lo)}, ${String(r.hi)}, ${String(r.lim)})`).toEqual(r.expected);
      if ((r.expected as unknown[]).length) nonEmpty++;
      else empty++;
    }
  }
  return { nonEmpty, empty };
}

/** The 1h rollup's watermark; null for -infinity (nothing materialised). */
async function watermark(): Promise<Date | null> {
  const { rows } = await db.pool.query("SELECT CASE WHEN isfinite(watermark) THEN watermark END AS wm FROM market_candles_1h_watermark");
  return rows[0]!.wm as Date | null;
}

beforeAll(async () => {
  await ingestCandles(db.pool, [...minuteBars("HPG", EARLY, 1), ...minuteBars("HSG", EARLY.slice(1), 2), ...aroundMidnight("IRON_ORE", vn("2025-03-05T00:00:00"), 240)]);
  await ingestDailyBars(
    db.pool,
    ["HPG", "HSG", "IRON_ORE"].flatMap((symbol, s) =>
      EOD_DAYS.map((d, k) => ({ time: vn(`${d}T00:00:00`), symbol, open: 21_000 + s * 100 + k, high: 22_000, low: 20_000, close: 21_500 + k, volume: 5_000 + k })),
    ),
  );
});

describe("the candle read functions equal the views", () => {
  it("with nothing materialised (all live)", async () => {
    expect(await watermark()).toBeNull();
    const { nonEmpty, empty } = await expectFunctionsEqualViews();
    expect(nonEmpty).toBeGreaterThan(50);
    expect(empty).toBeGreaterThan(50);
  });

  it("with the watermark in the middle of the windows: materialised below, live above", async () => {
    await refreshAggregates(db.pool);
    const wm = await watermark();
    expect(wm?.toISOString()).toBe(vn("2025-03-05T15:00:00").toISOString());
    // Appended after the refresh, above the watermark: read live.
    await ingestCandles(db.pool, [...minuteBars("HPG", LATE, 3), ...minuteBars("HSG", LATE.slice(0, 1), 4), ...aroundMidnight("IRON_ORE", vn("2025-03-07T00:00:00"), 300)]);
    expect(await watermark()).toEqual(wm);
    const { count } = (await db.pool.query("SELECT count(*)::int AS count FROM market_candles_1h_materialized")).rows[0] as { count: number };
    expect(count).toBeGreaterThan(0);
    await expectFunctionsEqualViews();
  });

  it("with hours invalidated below the watermark and not yet refreshed", async () => {
    // An update (HPG 03-04 morning), a whole hour deleted (HPG 03-03 13:00), a whole day deleted
    // (HSG 03-04: its stale hours stay, but its end-of-day bar is the day), a day cut to its first
    // half hour (HSG 03-05), and a backfill with no materialised hour (HPG 02-27, which has an
    // end-of-day bar: the day is that bar, in both).
    await db.pool.query(
      `UPDATE market_candles SET high = high + 500, close = close + 100
        WHERE symbol = 'HPG' AND time >= $1 AND time < $2`,
      [vn("2025-03-04T09:15:00"), vn("2025-03-04T11:00:00")],
    );
    const cut = async (symbol: string, from: string, to: string) =>
      db.pool.query("DELETE FROM market_candles WHERE symbol = $1 AND time >= $2 AND time < $3", [symbol, vn(from), vn(to)]);
    await cut("HPG", "2025-03-03T13:00:00", "2025-03-03T14:00:00");
    await cut("HSG", "2025-03-04T00:00:00", "2025-03-05T00:00:00");
    await cut("HSG", "2025-03-05T09:45:00", "2025-03-06T00:00:00");
    await ingestCandles(db.pool, minuteBars("HPG", ["2025-02-27"], 5));
    const pending = (await db.pool.query("SELECT count(*)::int AS n FROM market_candles_1h_invalidations")).rows[0] as { n: number };
    expect(pending.n).toBeGreaterThan(0);
    await expectFunctionsEqualViews();
    // HSG 03-04 is its official end-of-day bar alone: the stale hours do not make a second day.
    const day = vn("2025-03-04T00:00:00").toISOString();
    const hsg = await fromFunction("market_candles_1d_range", "HSG", day, vn("2025-03-05T00:00:00").toISOString(), null);
    expect(hsg).toHaveLength(1);
    expect(hsg[0]).toMatchObject({ open: 21_000 + 100 + EOD_DAYS.indexOf("2025-03-04"), volume: String(5_000 + EOD_DAYS.indexOf("2025-03-04")) });
  });

  it("after the refresh that catches up", async () => {
    await refreshAggregates(db.pool);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM market_candles_1h_invalidations")).rows[0]).toEqual({ n: 0 });
    await expectFunctionsEqualViews();
  });

  it("with an end-of-day bar not stamped at 00:00 in Vietnam, and in another session time zone", async () => {
    // Written around the ingest checks, as a hand-made import could: the view probes [time, time + 1 day).
    await db.pool.query(
      `INSERT INTO market_candles_eod (time, symbol, open, high, low, close, volume)
       VALUES ($1, 'HPG', 1, 2, 0.5, 1.5, 7), ($2, 'HSG', 1, 2, 0.5, 1.5, 8)`,
      [vn("2025-03-09T20:00:00"), vn("2025-03-05T12:00:00")],
    );
    await expectFunctionsEqualViews();
    const client = await db.pool.connect();
    try {
      await client.query("SET TimeZone = 'America/New_York'");
      for (const fn of ["1h", "1d"]) {
        const args = ["HPG", "-infinity", "infinity", null];
        const view = await client.query(`SELECT * FROM market_candles_${fn} WHERE symbol = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket DESC LIMIT $4`, args);
        const got = await client.query(`SELECT * FROM market_candles_${fn}_range($1, $2, $3, $4)`, args);
        expect(got.rows).toEqual(view.rows.map((r) => ({ bucket: r.bucket, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume })));
      }
    } finally {
      await client.query("RESET TimeZone");
      client.release();
    }
  });

  it("market_candles_exist_before: any 1-minute bar (and, asked, any end-of-day bar) before an instant", async () => {
    const ask = async (symbol: string, before: string, eod: boolean) =>
      (await db.pool.query("SELECT market_candles_exist_before($1, $2, $3) AS b", [symbol, before, eod])).rows[0]!.b;
    const direct = async (symbol: string, before: string, eod: boolean) =>
      (
        await db.pool.query(
          `SELECT EXISTS (SELECT 1 FROM market_candles WHERE symbol = $1 AND time < $2)
               OR ($3 AND EXISTS (SELECT 1 FROM market_candles_eod WHERE symbol = $1 AND time < $2)) AS b`,
          [symbol, before, eod],
        )
      ).rows[0]!.b;
    let yes = 0;
    for (const symbol of SYMBOLS) {
      for (const before of EDGES) {
        for (const eod of [false, true]) {
          const expected = await direct(symbol, before, eod);
          expect(await ask(symbol, before, eod), `${symbol} ${before} ${eod}`).toBe(expected);
          if (expected) yes++;
        }
      }
    }
    expect(yes).toBeGreaterThan(20);
  });
});
