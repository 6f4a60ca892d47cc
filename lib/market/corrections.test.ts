/**
 * correctCandles on the real PostgreSQL (native shape; the TimescaleDB shape is covered by
 * timeseries-parity.test.ts): a correction shows in 1h and 1D with no refresh called, and one that
 * fails, at any step, changes nothing. A database of its own: the rollup's watermark is global.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CandleBook, DAY_MS, HOUR_MS, MINUTE_MS, readBars } from "@/test/candle-oracle";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { CorrectionError, correctCandles } from "./corrections";
import { CandleValidationError, ingestCandles, ingestDailyBars, refreshAggregates } from "./ingest";
import { UnknownSymbolError } from "./symbols";
import type { CandleRow } from "./types";

const db = scratchDatabaseForFile("corrections");
const book = new CandleBook();
const SYMBOLS = ["HPG", "HSG"];
/** 00:00 in Vietnam, five days back: below the watermark once refreshed. */
const day = Math.floor((Date.now() - 5 * DAY_MS) / DAY_MS) * DAY_MS - 7 * HOUR_MS;
const at = (hour: number, minute = 0) => new Date(day + hour * HOUR_MS + minute * MINUTE_MS);

function minutes(symbol: string, start: Date, count: number, seed: number): CandleRow[] {
  return Array.from({ length: count }, (_, i) => {
    const open = 20_000 + ((i * 37 + seed * 11) % 40) * 50;
    const close = open + (((i + seed) % 5) - 2) * 50;
    return { time: new Date(start.getTime() + i * MINUTE_MS), symbol, open, high: Math.max(open, close) + 50, low: Math.min(open, close) - 50, close, volume: 100 * (1 + ((i + seed) % 13)) };
  });
}

async function expectOracle() {
  expect(await readBars(db.pool, "market_candles_1h", SYMBOLS)).toEqual(book.hourly());
  expect(await readBars(db.pool, "market_candles_1d", SYMBOLS)).toEqual(book.daily());
}

async function snapshot() {
  const q = async (sql: string) => (await db.pool.query(sql)).rows;
  return {
    minutes: await q("SELECT * FROM market_candles ORDER BY symbol, time"),
    eod: await q("SELECT * FROM market_candles_eod ORDER BY symbol, time"),
    hours: await q("SELECT * FROM market_candles_1h_materialized ORDER BY symbol, bucket"),
    invalidations: await q("SELECT count(*)::int AS n FROM market_candles_1h_invalidations"),
    watermark: await q("SELECT watermark FROM market_candles_1h_watermark"),
    days: await readBars(db.pool, "market_candles_1d", SYMBOLS),
  };
}

beforeAll(async () => {
  await db.pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
       ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel'), ('HSG', 'Hoa Sen Group', 'stock', 'HOSE', 'Steel')`,
  );
  // HPG: 09:00–11:30 and 13:00–14:45 (UTC+7) of one day, and the next day's morning; HSG: a morning.
  const rows = [
    ...minutes("HPG", at(9), 150, 1),
    ...minutes("HPG", at(13), 105, 2),
    ...minutes("HPG", at(9 + 24), 90, 3),
    ...minutes("HSG", at(9), 120, 4),
  ];
  await ingestCandles(db.pool, rows);
  book.put(rows);
  await refreshAggregates(db.pool);
  const { rows: wm } = await db.pool.query("SELECT watermark FROM market_candles_1h_watermark");
  expect((wm[0]!.watermark as Date).getTime()).toBeGreaterThan(at(24 + 10).getTime()); // every hour materialised
});

describe("correctCandles: visible in 1h and 1D at once", () => {
  it("replaces an hour's 1-minute bars: 1h and 1D show the new bars with no refresh called", async () => {
    const from = at(10);
    const to = at(11);
    const replacement = minutes("HPG", from, 60, 9).map((r) => ({ ...r, volume: r.volume + 7_000 }));
    const result = await correctCandles(db.pool, { symbol: "hpg", resolution: "1m", action: "replace", from, to, bars: replacement });
    expect(result).toMatchObject({ symbol: "HPG", deleted: 60, written: 60, engine: "native" });
    book.remove((r) => r.symbol === "HPG" && r.time >= from && r.time < to);
    book.put(replacement);
    await expectOracle();
    const hour = (await readBars(db.pool, "market_candles_1h", ["HPG"])).find((b) => b.bucket === from.toISOString());
    expect(hour?.volume).toBe(replacement.reduce((v, r) => v + r.volume, 0));
  });

  it("deletes part of an hour and a whole afternoon: gone from 1h and 1D at once", async () => {
    for (const [from, to] of [
      [at(9, 10), at(9, 40)],
      [at(13), at(15)],
    ] as const) {
      const result = await correctCandles(db.pool, { symbol: "HPG", resolution: "1m", action: "delete", from, to });
      expect(result.written).toBe(0);
      book.remove((r) => r.symbol === "HPG" && r.time >= from && r.time < to);
    }
    await expectOracle();
    expect((await readBars(db.pool, "market_candles_1h", ["HPG"])).some((b) => b.bucket === at(13).toISOString())).toBe(false);
  });

  it("replaces an official daily bar (1D): market_candles_1d shows the corrected bar", async () => {
    // Priced near HSG's minutes of `day`: a stock's bars stay within the daily limits of the day before (bar-bounds.ts).
    const eod = [0, 1, 2].map((d) => ({ time: new Date(day - (3 - d) * DAY_MS), symbol: "HSG", open: 21_000, high: 21_500, low: 20_500, close: 21_000, volume: 1_000 + d }));
    await ingestDailyBars(db.pool, eod);
    book.putDaily(eod);
    const fixed = { ...eod[1]!, close: 21_100, volume: 9_999 };
    const result = await correctCandles(db.pool, { symbol: "HSG", resolution: "1D", action: "replace", from: eod[1]!.time, to: eod[2]!.time, bars: [fixed] });
    expect(result).toMatchObject({ deleted: 1, written: 1 });
    book.putDaily([fixed]);
    await expectOracle();
  });
});

describe("correctCandles: a failing correction changes nothing", () => {
  it("refuses a bad replacement bar, a bar outside the range, a reversed range, an unknown symbol", async () => {
    const before = await snapshot();
    const from = at(9);
    const to = at(10);
    const bad = { ...minutes("HSG", from, 1, 1)[0]!, low: 99_000 };
    await expect(correctCandles(db.pool, { symbol: "HSG", resolution: "1m", action: "replace", from, to, bars: [bad] })).rejects.toThrow(CandleValidationError);
    const outside = minutes("HSG", to, 1, 1);
    await expect(correctCandles(db.pool, { symbol: "HSG", resolution: "1m", action: "replace", from, to, bars: outside })).rejects.toThrow(
      /Nothing was changed: 1 replacement bar is not HSG's or outside .*\+07:00/,
    );
    await expect(correctCandles(db.pool, { symbol: "HSG", resolution: "1m", action: "delete", from: to, to: from })).rejects.toThrow(CorrectionError);
    await expect(correctCandles(db.pool, { symbol: "HSG", resolution: "1m", action: "replace", from, to })).rejects.toThrow(/needs the bars/);
    await expect(correctCandles(db.pool, { symbol: "NOPE", resolution: "1m", action: "delete", from, to })).rejects.toThrow(UnknownSymbolError);
    expect(await snapshot()).toEqual(before);
  });

  it("rolls back the delete when the database refuses the replacement half-way", async () => {
    const before = await snapshot();
    // A database-side failure after the DELETE ran: the replacement's insert is refused.
    await db.pool.query(`CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                         BEGIN IF NEW.volume = 424242 THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await db.pool.query("CREATE TRIGGER test_refuse BEFORE INSERT ON market_candles FOR EACH ROW EXECUTE FUNCTION test_refuse()");
    try {
      const from = at(9);
      const to = at(11);
      const bars = minutes("HSG", from, 120, 5).map((r, i) => (i === 100 ? { ...r, volume: 424_242 } : r));
      await expect(correctCandles(db.pool, { symbol: "HSG", resolution: "1m", action: "replace", from, to, bars })).rejects.toThrow(/refused by the test/);
    } finally {
      await db.pool.query("DROP TRIGGER test_refuse ON market_candles");
      await db.pool.query("DROP FUNCTION test_refuse()");
    }
    expect(await snapshot()).toEqual(before);
    await expectOracle();
  });
});
