/**
 * The sanity bounds on the real PostgreSQL (issue 9: a 1e303 price was accepted and reached every
 * chart): implausible prices and volumes, a stock's daily limits against the previous session
 * (stored or earlier in the batch), reviewed overrides for corporate-action days, and indices and
 * commodity series, which have no daily limits. A refused batch stores nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { addBarOverride, BarBoundsError, BarOverrideError, listBarOverrides, MAX_PRICE } from "./bar-bounds";
import { CandleValidationError } from "./candle-validation";
import { correctCandles } from "./corrections";
import { ingestCandles, ingestDailyBars } from "./ingest";
import type { CandleRow } from "./types";

const db = scratchDatabaseForFile("bar_bounds");
const DAY_MS = 86_400_000;
/** 00:00 in Vietnam of a Monday, 2025-03-03. */
const MONDAY = Date.parse("2025-03-02T17:00:00Z");
const dayAt = (n: number) => new Date(MONDAY + n * DAY_MS);
const minuteOf = (n: number, hh: number, mm: number) => new Date(MONDAY + n * DAY_MS + (hh * 60 + mm) * 60_000);

const daily = (symbol: string, n: number, close: number, spread = 0): CandleRow => ({
  time: dayAt(n),
  symbol,
  open: close,
  high: close + spread,
  low: close - spread,
  close,
  volume: 10_000,
});
const count = async (sql: string, params: unknown[] = []) => Number((await db.pool.query(sql, params)).rows[0]!.n);
const stored = (symbol: string) => count("SELECT (SELECT count(*) FROM market_candles WHERE symbol = $1) + (SELECT count(*) FROM market_candles_eod WHERE symbol = $1) AS n", [symbol]);

beforeAll(async () => {
  await db.pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange) VALUES
       ('HPG', 'Hoa Phat', 'stock', 'HOSE'), ('SHS', 'SHS', 'stock', 'HNX'), ('BSR', 'BSR', 'stock', 'UPCOM'),
       ('VIC', 'Vingroup', 'stock', 'HOSE'), ('FPT', 'FPT', 'stock', 'HOSE'), ('MWG', 'MWG', 'stock', 'HOSE'),
       ('VNINDEX', 'VN-Index', 'index', NULL), ('IRON_ORE', 'Iron ore', 'commodity', NULL)`,
  );
  await db.pool.query("INSERT INTO users (email, password_hash) VALUES ('admin@example.com', 'x')");
});

describe("the plausible range", () => {
  it("refuses a price of 1e303 and stores nothing of its batch", async () => {
    const batch = [daily("HPG", 0, 25_000), daily("HPG", 1, 25_500), { ...daily("HPG", 2, 25_500), high: 1e303 }];
    const error = await ingestDailyBars(db.pool, batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BarBoundsError);
    expect(error).toBeInstanceOf(CandleValidationError); // every writer's existing handling applies
    expect((error as Error).message).toContain("1 of 3 candles outside sanity bounds; nothing was stored");
    expect((error as Error).message).toContain("rows[2] (HPG 2025-03-05T00:00:00+07:00): high 1e+303");
    expect((error as Error).message).toContain("outside the plausible range (0, 10,000,000 VND] for a stock");
    expect(await stored("HPG")).toBe(0);
  });

  it("refuses 1e303 in 1-minute bars too, and on a symbol QuantFlow does not list", async () => {
    const bar = { time: minuteOf(0, 9, 15), symbol: "VN30F2503", open: 1300, high: 1e303, low: 1300, close: 1300, volume: 10 };
    await expect(ingestCandles(db.pool, [bar])).rejects.toThrow(/high 1e\+303 is outside the plausible range \(0, 10,000,000\] for any series/);
    expect(await stored("VN30F2503")).toBe(0);
  });

  it("refuses an implausible volume", async () => {
    const bar = { ...daily("FPT", 0, 100_000), volume: 20_000_000_000 };
    await expect(ingestDailyBars(db.pool, [bar])).rejects.toThrow(/volume 20,000,000,000 is outside the plausible range \[0, 10,000,000,000\] shares/);
  });

  it("holds an index to points and a commodity to its own range", async () => {
    await expect(ingestDailyBars(db.pool, [daily("VNINDEX", 0, 150_000)])).rejects.toThrow(/outside the plausible range \(0, 100,000 points\] for an index/);
    expect(MAX_PRICE.commodity).toBe(1_000_000);
    await expect(ingestDailyBars(db.pool, [daily("IRON_ORE", 0, 2_000_000)])).rejects.toThrow(/for a commodity/);
  });
});

describe("a stock's daily limits", () => {
  it("refuses a +30 % jump on HOSE, naming the ceiling and the reference", async () => {
    await ingestDailyBars(db.pool, [daily("VIC", 0, 40_000)]);
    const error = await ingestDailyBars(db.pool, [daily("VIC", 1, 52_000)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BarBoundsError);
    const message = (error as Error).message;
    expect(message).toContain("rows[0] (VIC 2025-03-04T00:00:00+07:00): high 52,000 is above the ceiling of 2025-03-04");
    expect(message).toContain("HOSE ±7 % of the reference 40,000, the close of 2025-03-03; ceiling 42,800, floor 37,200");
    expect(message).toContain("an admin can add a reviewed override for VIC on 2025-03-04");
    expect(await stored("VIC")).toBe(1);
  });

  it("accepts moves within ±7 % on HOSE, up to the ceiling and down to the floor, judged day after day within one batch", async () => {
    // 40,000 → ceiling 42,800; 42,800 → floor 39,850 (39,804 rounded up to the tick); then back up.
    const batch = [daily("MWG", 0, 40_000), daily("MWG", 1, 42_800), daily("MWG", 2, 39_850), daily("MWG", 3, 42_000, 500)];
    await expect(ingestDailyBars(db.pool, batch)).resolves.toMatchObject({ written: 4 });
    // The same jump inside a batch is refused as it would be against a stored bar.
    const error = await ingestDailyBars(db.pool, [daily("MWG", 4, 42_000), daily("MWG", 7, 50_000)]).catch((e: unknown) => e);
    expect((error as Error).message).toContain("rows[1] (MWG 2025-03-10T00:00:00+07:00): high 50,000 is above the ceiling");
    expect(await stored("MWG")).toBe(4);
  });

  it("judges 1-minute bars against the previous trading day's close, with HNX's ±10 %", async () => {
    await ingestDailyBars(db.pool, [daily("SHS", 0, 20_000)]);
    const minute = (hh: number, mm: number, price: number) => ({ time: minuteOf(1, hh, mm), symbol: "SHS", open: price, high: price, low: price, close: price, volume: 100 });
    await expect(ingestCandles(db.pool, [minute(9, 0, 21_900), minute(9, 1, 18_100)])).resolves.toMatchObject({ written: 2 });
    await expect(ingestCandles(db.pool, [minute(9, 2, 23_000)])).rejects.toThrow(/high 23,000 is above the ceiling of 2025-03-04 \(HNX ±10 % of the reference 20,000/);
    await expect(ingestCandles(db.pool, [minute(9, 3, 17_000)])).rejects.toThrow(/low 17,000 is below the floor of 2025-03-04/);
  });

  it("takes UPCOM's reference from the previous session's VWAP, and its range when only a daily bar is known", async () => {
    // Only a daily bar 20,000–24,000: the VWAP lies in that range, so 24,000 × 1.15 = 27,600 is the highest ceiling.
    await ingestDailyBars(db.pool, [{ ...daily("BSR", 0, 22_000), high: 24_000, low: 20_000 }]);
    await expect(ingestDailyBars(db.pool, [daily("BSR", 1, 27_500)])).resolves.toMatchObject({ written: 1 });
    await expect(ingestDailyBars(db.pool, [daily("BSR", 2, 33_000)])).rejects.toThrow(/UPCOM ±15 %/);
  });

  it("lets a corporate-action day through with a reviewed override, and only that day", async () => {
    await ingestDailyBars(db.pool, [daily("FPT", 0, 100_000)]);
    // A 1:1 stock dividend halves the price on the ex-rights day.
    const exRights = daily("FPT", 1, 50_000);
    await expect(ingestDailyBars(db.pool, [exRights])).rejects.toThrow(/override for FPT on 2025-03-04/);
    const user = (await db.pool.query("SELECT id FROM users WHERE email = 'admin@example.com'")).rows[0]!.id as string;
    const override = await addBarOverride(db.pool, { symbol: "fpt", tradeDate: "2025-03-04", reason: "1:1 stock dividend, ex-rights 2025-03-04" }, user);
    expect(override).toMatchObject({ symbol: "FPT", tradeDate: "2025-03-04", reviewedBy: user });
    await expect(ingestDailyBars(db.pool, [exRights])).resolves.toMatchObject({ written: 1 });
    // The next day is judged against the new price again; the override never lifts the plausible range.
    await expect(ingestDailyBars(db.pool, [daily("FPT", 2, 100_000)])).rejects.toThrow(/ceiling of 2025-03-05/);
    await expect(ingestDailyBars(db.pool, [{ ...exRights, high: 1e303 }])).rejects.toThrow(/plausible range/);
    expect(await listBarOverrides(db.pool, "FPT")).toHaveLength(1);
  });

  it("refuses an override that is not for a stock, or without a reason", async () => {
    await expect(addBarOverride(db.pool, { symbol: "VNINDEX", tradeDate: "2025-03-04", reason: "rebase" }, null)).rejects.toThrow(/not a stock/);
    await expect(addBarOverride(db.pool, { symbol: "FPT", tradeDate: "2025-03-04", reason: " " }, null)).rejects.toThrow(BarOverrideError);
    await expect(addBarOverride(db.pool, { symbol: "FPT", tradeDate: "2025-02-30", reason: "split" }, null)).rejects.toThrow(/not a date/);
  });

  it("leaves indices and commodity series to the plausible range alone", async () => {
    const index = [daily("VNINDEX", 0, 1_200), daily("VNINDEX", 1, 1_800)];
    await expect(ingestDailyBars(db.pool, index)).resolves.toMatchObject({ written: 2 });
    const ore = [daily("IRON_ORE", 0, 100), daily("IRON_ORE", 1, 200)];
    await expect(ingestDailyBars(db.pool, ore)).resolves.toMatchObject({ written: 2 });
  });

  it("judges a correction's replacement against the sessions that stay, and reports what it changed", async () => {
    await ingestDailyBars(db.pool, [daily("HPG", 0, 25_000), daily("HPG", 1, 25_500), daily("HPG", 2, 26_000)]);
    const input = { symbol: "HPG", resolution: "1D" as const, action: "replace" as const, from: dayAt(2), to: dayAt(3) };
    await expect(correctCandles(db.pool, { ...input, bars: [daily("HPG", 2, 40_000)] })).rejects.toThrow(BarBoundsError);
    expect((await db.pool.query("SELECT close FROM market_candles_eod WHERE symbol = 'HPG' AND time = $1", [dayAt(2)])).rows[0]!.close).toBe(26_000);
    const result = await correctCandles(db.pool, { ...input, bars: [daily("HPG", 2, 26_500)] });
    expect(result).toMatchObject({ deleted: 1, written: 1, changed: 1 });
    expect(result.changes).toEqual([
      { symbol: "HPG", time: dayAt(2), before: { open: 26_000, high: 26_000, low: 26_000, close: 26_000, volume: 10_000 }, after: { open: 26_500, high: 26_500, low: 26_500, close: 26_500, volume: 10_000 } },
    ]);
    const removed = await correctCandles(db.pool, { ...input, action: "delete" });
    expect(removed.changes).toEqual([{ symbol: "HPG", time: dayAt(2), before: expect.objectContaining({ close: 26_500 }), after: null }]);
    expect(await count("SELECT count(*) AS n FROM market_candle_changes WHERE symbol = 'HPG' AND source = 'correction'")).toBe(2);
  });
});
