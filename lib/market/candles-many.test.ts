/**
 * readCandlesMany against the real PostgreSQL (native shape), on a database of this file's own (the
 * rollups' watermark is global): in every state of the rollups (nothing materialised, refreshed, bars
 * appended above the watermark, a backfill below it not yet refreshed, refreshed again), every
 * resolution and lookback gives each symbol exactly what queryCandles gives it alone; symbols come in
 * the order asked, bars oldest first; a lookback in trading days; past the chart's page size; empty and
 * unknown symbols; the memory budget. The Timescale shape's functions are held to the same answers in
 * timeseries-parity.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { addDays, previousTradingDay, sessionMinutes, tradingDaysBetween, vnDateOf, vnMidnightUtc } from "./calendar";
import { MAX_CANDLE_LIMIT, queryCandles, type CandleBar, type CandleResolution } from "./candles";
import { lookbackWindow, readCandlesMany, SET_BASED_RESOLUTIONS, TooManyBarsError, type CandleLookback } from "./candles-many";
import { ingestCandles, ingestDailyBars, refreshAggregates } from "./ingest";
import { UnknownSymbolError } from "./symbols";
import type { CandleRow } from "./types";

const db = scratchDatabaseForFile("candles_many");
const NOW = new Date();
const LAST = previousTradingDay(addDays(vnDateOf(NOW), 1));
/** 26 sessions of minutes: more than MAX_CANDLE_LIMIT (5,000) 1-minute bars for LONG. */
const DAYS = tradingDaysBetween(addDays(LAST, -40), LAST).slice(-26);
const EOD_DAYS = tradingDaysBetween(addDays(DAYS[0]!, -30), previousTradingDay(DAYS[0]!));

function walk(symbol: string, times: Date[], seed: number): CandleRow[] {
  let price = 1_000 + seed * 100;
  return times.map((time, i) => {
    const open = price;
    price = Math.max(100, price + ((((i * 31 + seed * 7) % 9) - 4) * 0.5));
    return { time, symbol, open, high: Math.max(open, price) + 1, low: Math.min(open, price) - 1, close: price, volume: 10 + ((i * 13 + seed) % 50) };
  });
}

const minutesOf = (days: readonly string[]) => days.flatMap((d) => sessionMinutes("HOSE", d));

beforeAll(async () => {
  // Commodity series: no daily price limits to respect (bar-bounds.ts), the same reads.
  await db.pool.query(
    `INSERT INTO market_symbols (symbol, name, kind) VALUES
       ('LONG', 'Long history', 'commodity'), ('SHORT', 'A few days', 'commodity'),
       ('DAILY', 'End-of-day only', 'commodity'), ('EMPTY', 'No bars', 'commodity')`,
  );
  await ingestCandles(db.pool, walk("LONG", minutesOf(DAYS), 1));
  await ingestCandles(db.pool, walk("SHORT", minutesOf(DAYS.slice(-4)), 2));
  const eod = (symbol: string, days: readonly string[], seed: number) =>
    walk(symbol, days.map(vnMidnightUtc), seed).map((r) => ({ ...r, volume: r.volume * 1_000 }));
  await ingestDailyBars(db.pool, [...eod("LONG", EOD_DAYS, 3), ...eod("DAILY", [...EOD_DAYS, ...DAYS], 4)]);
  // An official bar over a day LONG also has minutes for: 1D shows the official one.
  await ingestDailyBars(db.pool, eod("LONG", [DAYS[5]!], 5));
}, 120_000);

const SYMBOLS = ["SHORT", "LONG", "DAILY", "EMPTY"];
const LOOKBACKS: CandleLookback[] = [{ bars: 1 }, { bars: 7 }, { bars: 300 }, { bars: MAX_CANDLE_LIMIT }, { days: 1 }, { days: 3 }, { days: 40 }];

/** What queryCandles gives each symbol alone for the same window (its limit: the page size at most). */
async function oneByOne(resolution: CandleResolution, lookback: CandleLookback): Promise<Map<string, CandleBar[]>> {
  const w = lookbackWindow(lookback, NOW);
  const out = new Map<string, CandleBar[]>();
  for (const symbol of SYMBOLS) {
    const series = await queryCandles(db.pool, { symbol, resolution, from: w.from === "-infinity" ? undefined : w.from, to: w.to, limit: w.limit ?? MAX_CANDLE_LIMIT });
    out.set(symbol, series.candles);
  }
  return out;
}

async function expectSameAsOneByOne() {
  for (const resolution of SET_BASED_RESOLUTIONS) {
    for (const lookback of LOOKBACKS) {
      const { series, total } = await readCandlesMany(db.pool, { symbols: SYMBOLS, resolution, lookback, now: NOW });
      const label = `${resolution} ${JSON.stringify(lookback)}`;
      expect([...series.keys()], label).toEqual(SYMBOLS);
      const expected = await oneByOne(resolution, lookback);
      for (const symbol of SYMBOLS) {
        const alone = expected.get(symbol)!;
        // queryCandles stops at a page (MAX_CANDLE_LIMIT); the set-based read does not: its newest page is the same.
        const got = alone.length === MAX_CANDLE_LIMIT ? series.get(symbol)!.slice(-MAX_CANDLE_LIMIT) : series.get(symbol);
        expect(got, `${label} ${symbol}`).toEqual(alone);
      }
      expect(total, label).toBe([...series.values()].reduce((n, bars) => n + bars.length, 0));
    }
  }
}

async function watermark(): Promise<Date | null> {
  const { rows } = await db.pool.query("SELECT CASE WHEN isfinite(watermark) THEN watermark END AS wm FROM market_candles_1h_watermark");
  return rows[0]!.wm as Date | null;
}

describe("readCandlesMany equals queryCandles symbol by symbol", () => {
  it("with nothing materialised (every bar aggregated live)", async () => {
    expect(await watermark()).toBeNull();
    await expectSameAsOneByOne();
  }, 120_000);

  it("after the refresh (hourly and daily rollups materialised)", async () => {
    await refreshAggregates(db.pool);
    expect(await watermark()).not.toBeNull();
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM market_candles_1d_materialized WHERE symbol = 'LONG'");
    expect(rows[0]!.n).toBeGreaterThan(20);
    await expectSameAsOneByOne();
  }, 120_000);

  it("with bars appended above the watermark, then a backfill below it, before and after the refresh", async () => {
    const wm = (await watermark())!;
    // 30 minutes after SHORT's last bar and from the watermark on: read live. (Not the next session's:
    // between midnight and its opening in Vietnam that is more than a day ahead, which ingest refuses.)
    const { rows } = await db.pool.query("SELECT max(time) AS t FROM market_candles WHERE symbol = 'SHORT'");
    const first = Math.max(wm.getTime(), (rows[0]!.t as Date).getTime() + 60_000);
    await ingestCandles(db.pool, walk("SHORT", Array.from({ length: 30 }, (_, i) => new Date(first + i * 60_000)), 6));
    // A backfill of DAILY's minutes on a materialised day: invalidated, not yet refreshed.
    await ingestCandles(db.pool, walk("DAILY", sessionMinutes("HOSE", DAYS[10]!), 7));
    expect(await watermark()).toEqual(wm);
    await expectSameAsOneByOne();
    await refreshAggregates(db.pool);
    await expectSameAsOneByOne();
  }, 240_000);
});

describe("readCandlesMany", () => {
  it("reads past the chart's page size: a lookback in bars or days is not capped at MAX_CANDLE_LIMIT", async () => {
    const all = minutesOf(DAYS).length;
    expect(all).toBeGreaterThan(MAX_CANDLE_LIMIT);
    const { series } = await readCandlesMany(db.pool, { symbols: ["LONG"], resolution: "1m", lookback: { bars: 100_000 }, now: NOW });
    expect(series.get("LONG")).toHaveLength(all);
    const days = await readCandlesMany(db.pool, { symbols: ["LONG"], resolution: "1m", lookback: { days: 26 }, now: NOW });
    expect(days.series.get("LONG")).toHaveLength(all);
    const bars = days.series.get("LONG")!;
    // Oldest first, each bar after the one before.
    expect(bars.every((b, i) => i === 0 || b.time.getTime() > bars[i - 1]!.time.getTime())).toBe(true);
  });

  it("a lookback in days starts at the start of the session that many sessions back", async () => {
    const { series } = await readCandlesMany(db.pool, { symbols: ["LONG", "DAILY"], resolution: "1D", lookback: { days: 3 }, now: NOW });
    const three = DAYS.slice(-3).map((d) => vnMidnightUtc(d).getTime());
    expect(series.get("LONG")!.map((b) => b.time.getTime())).toEqual(three);
    expect(series.get("DAILY")!.map((b) => b.time.getTime())).toEqual(three);
    const minutes = await readCandlesMany(db.pool, { symbols: ["LONG"], resolution: "1m", lookback: { days: 2 }, now: NOW });
    expect(minutes.series.get("LONG")).toHaveLength(minutesOf(DAYS.slice(-2)).length);
  });

  it("the official end-of-day bar is the 1D bar of its day", async () => {
    const { series } = await readCandlesMany(db.pool, { symbols: ["LONG"], resolution: "1D", lookback: { bars: 1000 }, now: NOW });
    const day5 = series.get("LONG")!.find((b) => b.time.getTime() === vnMidnightUtc(DAYS[5]!).getTime())!;
    const { rows } = await db.pool.query("SELECT open, volume FROM market_candles_eod WHERE symbol = 'LONG' AND time = $1", [vnMidnightUtc(DAYS[5]!)]);
    expect(day5).toMatchObject({ open: rows[0]!.open, volume: Number(rows[0]!.volume) });
  });

  it("keeps the order asked, drops repeats, answers [] for a symbol without bars and nothing for no symbols", async () => {
    const { series } = await readCandlesMany(db.pool, { symbols: ["EMPTY", "LONG", "EMPTY", "DAILY"], resolution: "1h", lookback: { bars: 2 }, now: NOW });
    expect([...series.keys()]).toEqual(["EMPTY", "LONG", "DAILY"]);
    expect(series.get("EMPTY")).toEqual([]);
    expect(series.get("LONG")).toHaveLength(2);
    const none = await readCandlesMany({ query: () => Promise.reject(new Error("no query for no symbols")) }, { symbols: [], resolution: "1D", lookback: { bars: 5 } });
    expect(none).toEqual({ series: new Map(), total: 0 });
  });

  it("refuses an unknown symbol by name, and a lookback under one", async () => {
    await expect(readCandlesMany(db.pool, { symbols: ["LONG", "NOPE"], resolution: "1D", lookback: { bars: 5 } })).rejects.toThrow(UnknownSymbolError);
    await expect(readCandlesMany(db.pool, { symbols: ["LONG"], resolution: "1D", lookback: { bars: 0 } })).rejects.toThrow(RangeError);
    await expect(readCandlesMany(db.pool, { symbols: ["LONG"], resolution: "1D", lookback: { days: 1.5 } })).rejects.toThrow(RangeError);
  });

  it("split over several statements, answers as one statement does: order, bars, total, budget, unknown symbols", async () => {
    const extra = Array.from({ length: 8 }, (_, i) => `SPLIT${i}`);
    await db.pool.query("INSERT INTO market_symbols (symbol, name, kind) SELECT s, s, 'commodity' FROM unnest($1::text[]) s", [extra]);
    for (const [i, symbol] of extra.entries()) await ingestCandles(db.pool, walk(symbol, minutesOf(DAYS.slice(-1 - (i % 3))), 20 + i));
    const symbols = [extra[0]!, ...SYMBOLS, ...extra.slice(1)];
    for (const resolution of SET_BASED_RESOLUTIONS) {
      const q = { symbols, resolution, lookback: { bars: 300 }, now: NOW };
      const one = await readCandlesMany(db.pool, q);
      const split = await readCandlesMany(db.pool, q, { statements: 4 });
      expect([...split.series.keys()], resolution).toEqual(symbols);
      expect(split, resolution).toEqual(one);
      // Each statement stays under the budget; together they pass it: refused, with the whole count.
      const error = await readCandlesMany(db.pool, q, { statements: 4, maxBars: one.total - 1 }).catch((e: unknown) => e);
      expect(error, resolution).toMatchObject({ atLeast: one.total, maxBars: one.total - 1 });
      expect((await readCandlesMany(db.pool, q, { statements: 4, maxBars: one.total })).total).toBe(one.total);
    }
    await expect(readCandlesMany(db.pool, { symbols: [...symbols, "NOPE"], resolution: "1D", lookback: { bars: 5 } }, { statements: 4 })).rejects.toThrow(
      new UnknownSymbolError("NOPE"),
    );
  });

  it("stops at the budget: past maxBars nothing is sent, only the count; at it, everything", async () => {
    const q = { symbols: ["LONG", "EMPTY"], resolution: "1m" as const, lookback: { days: 4 }, now: NOW };
    const { total } = await readCandlesMany(db.pool, q);
    expect(total).toBe(minutesOf(DAYS.slice(-4)).length);
    const atIt = await readCandlesMany(db.pool, q, { maxBars: total });
    expect(atIt.total).toBe(total);
    const error = await readCandlesMany(db.pool, q, { maxBars: total - 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyBarsError);
    expect(error).toMatchObject({ atLeast: total, maxBars: total - 1 });
    await expect(readCandlesMany(db.pool, q, { maxBars: 0 })).rejects.toThrow(TooManyBarsError);
  });
});
