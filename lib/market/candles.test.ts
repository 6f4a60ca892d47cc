/**
 * The candle queries against the real PostgreSQL, on a database of this file's own (the 1h rollup's
 * watermark is global): every resolution matches aggregating the raw 1-minute bars, windows and
 * backward paging, hasMore, the day's price limits, and the errors.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { sessionMinutes } from "./calendar";
import { CandleRangeError, queryCandles, rawAggregateCandles } from "./candles";
import { ingestCandles, ingestDailyBars, refreshAggregates } from "./ingest";
import { priceLimits } from "./rules";
import { searchSymbols, UnknownSymbolError } from "./symbols";
import type { CandleRow } from "./types";

const db = scratchDatabaseForFile("candles");
const DAYS = ["2025-03-03", "2025-03-04", "2025-03-05"];
const EOD_DAYS = ["2025-02-26", "2025-02-27", "2025-02-28"];

/** HOSE session minutes of DAYS, prices on the 50 VND grid; the first day closes at 25,950. */
function minuteBars(symbol: string): CandleRow[] {
  const rows: CandleRow[] = [];
  let i = 0;
  for (const day of DAYS) {
    const minutes = sessionMinutes("HOSE", day);
    minutes.forEach((time, k) => {
      const base = 25_000 + ((i * 7) % 20) * 50;
      const close = day === DAYS[0] && k === minutes.length - 1 ? 25_950 : base + 50;
      rows.push({ time, symbol, open: base, high: Math.max(base, close) + 100, low: base - 100, close, volume: 100 * (1 + (i % 9)) });
      i++;
    });
  }
  return rows;
}

beforeAll(async () => {
  await db.pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
       ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel'), ('HSG', 'Hoa Sen Group', 'stock', 'HOSE', 'Steel'),
       ('VNINDEX', 'VN-Index', 'index', 'HOSE', NULL), ('IRON_ORE', 'Iron ore 62% Fe', 'commodity', NULL, 'Steel inputs'),
       ('PHP', 'Hai Phong Port', 'stock', 'UPCOM', 'Ports')`,
  );
  await ingestCandles(db.pool, minuteBars("HPG"));
  await ingestCandles(db.pool, minuteBars("VNINDEX").map((r) => ({ ...r, open: r.open / 20, high: r.high / 20, low: r.low / 20, close: r.close / 20 })));
  await ingestDailyBars(
    db.pool,
    EOD_DAYS.map((d, k) => ({ time: new Date(`${d}T00:00:00+07:00`), symbol: "HPG", open: 24_000, high: 24_500, low: 23_800, close: 24_100 + k * 50, volume: 1_000_000 })),
  );
  await ingestCandles(db.pool, upcomMinuteBars("PHP"));
  await ingestDailyBars(db.pool, [{ time: new Date("2025-02-28T00:00:00+07:00"), symbol: "PHP", open: 20_000, high: 21_000, low: 19_500, close: 20_100, volume: 1_000_000 }]);
  await refreshAggregates(db.pool);
});

/**
 * UPCOM minutes: on 3 March most shares trade low (typical price 20,200, 3,000 shares a minute) and
 * the afternoon trades at 22,000 (1,000 a minute), closing there; 4 March trades flat at 21,000.
 */
function upcomMinuteBars(symbol: string): CandleRow[] {
  return DAYS.slice(0, 2).flatMap((day, d) =>
    sessionMinutes("UPCOM", day).map((time) => {
      const afternoon = time.getTime() >= Date.parse(`${day}T13:00:00+07:00`);
      const bar = d === 1 ? { high: 21_000, low: 21_000, close: 21_000, volume: 500 } : afternoon ? { high: 22_000, low: 22_000, close: 22_000, volume: 1_000 } : { high: 20_600, low: 20_000, close: 20_000, volume: 3_000 };
      return { time, symbol, open: bar.close, ...bar };
    }),
  );
}

const vn = (s: string) => new Date(s.replace(/(\d)$/, "$1+07:00"));

describe("searchSymbols", () => {
  it("puts symbol prefixes first, then names containing the text, case-insensitively", async () => {
    const found = await searchSymbols(db.pool, "h", 20);
    expect(found.map((s) => s.symbol)).toEqual(["HPG", "HSG", "PHP"]);
    expect((await searchSymbols(db.pool, "PHONG", 20)).map((s) => s.symbol)).toEqual(["PHP"]);
    expect(found[0]).toEqual({ symbol: "HPG", name: "Hoa Phat Group", kind: "stock", exchange: "HOSE", sector: "Steel" });
    expect((await searchSymbols(db.pool, "", 20)).length).toBe(5);
    expect((await searchSymbols(db.pool, "", 2)).length).toBe(2);
    // LIKE's wildcards are literal: "%" is in one name only, "_" starts no symbol and is in no name.
    expect((await searchSymbols(db.pool, "%", 20)).map((s) => s.symbol)).toEqual(["IRON_ORE"]);
    expect(await searchSymbols(db.pool, "_", 20)).toEqual([]);
  });
});

describe("queryCandles", () => {
  it("1m: the window's bars ascending, prices and volumes as stored", async () => {
    const s = await queryCandles(db.pool, { symbol: "HPG", resolution: "1m", from: vn("2025-03-04T09:15:00"), to: vn("2025-03-04T09:20:00"), limit: 100 });
    expect(s).toMatchObject({ symbol: "HPG", resolution: "1m", exchange: "HOSE", kind: "stock", unit: "VND", hasMore: true });
    expect(s.candles.map((c) => c.time.toISOString())).toEqual(
      ["02:15", "02:16", "02:17", "02:18", "02:19"].map((t) => `2025-03-04T${t}:00.000Z`),
    );
    expect(typeof s.candles[0]!.volume).toBe("number");
  });

  it.each(["5m", "15m", "30m", "1h", "4h", "1D"] as const)("%s equals aggregating the raw 1-minute bars", async (resolution) => {
    const window = { symbol: "HPG", from: vn("2025-03-03T00:00:00"), to: vn("2025-03-06T00:00:00"), limit: 1000 };
    const s = await queryCandles(db.pool, { ...window, resolution });
    const raw = await rawAggregateCandles(db.pool, { ...window, resolution });
    expect(s.candles).toEqual(raw);
    expect(s.candles.length).toBe(// HOSE: 09:15–11:30, 13:00–14:30 and the 14:45 closing bar.
    { "5m": 46 * 3, "15m": 16 * 3, "30m": 9 * 3, "1h": 5 * 3, "4h": 2 * 3, "1D": 3 }[resolution]);
  });

  it("4h: one bar per session, the morning's at 09:00 and the afternoon's at 13:00 (GMT+7), whole however the window cuts them", async () => {
    const s = await queryCandles(db.pool, { symbol: "HPG", resolution: "4h", from: vn("2025-03-04T10:00:00"), to: vn("2025-03-05T10:00:00"), limit: 100 });
    expect(s.candles.map((c) => c.time.toISOString())).toEqual(["2025-03-04T06:00:00.000Z", "2025-03-05T02:00:00.000Z"]);
    const [afternoon] = await rawAggregateCandles(db.pool, { symbol: "HPG", resolution: "4h", from: vn("2025-03-04T13:00:00"), to: vn("2025-03-04T17:00:00"), limit: 1 });
    expect(s.candles[0]).toEqual(afternoon);
    // The morning of 5 March is whole although the window ends at 10:00: every minute to 11:30 counts.
    const [morning] = await rawAggregateCandles(db.pool, { symbol: "HPG", resolution: "4h", from: vn("2025-03-05T09:00:00"), to: vn("2025-03-05T13:00:00"), limit: 1 });
    expect(s.candles[1]).toEqual(morning);
    expect(s.priceLimits?.date).toBe("2025-03-05");
  });

  it("1W and 1M: weeks from Monday and calendar months (GMT+7), end-of-day bars included, no one session's limits", async () => {
    const weeks = await queryCandles(db.pool, { symbol: "HPG", resolution: "1W", limit: 10 });
    // Wed 26 – Fri 28 February (end-of-day bars) make the week of Monday 24 February; 3–5 March the next.
    expect(weeks.candles.map((c) => c.time.toISOString())).toEqual(["2025-02-23T17:00:00.000Z", "2025-03-02T17:00:00.000Z"]);
    expect(weeks.candles[0]).toMatchObject({ open: 24_000, high: 24_500, low: 23_800, close: 24_200, volume: 3_000_000 });
    const march = { symbol: "HPG", from: vn("2025-03-01T00:00:00"), to: vn("2025-04-01T00:00:00"), limit: 10 };
    expect(weeks.candles[1]).toEqual((await rawAggregateCandles(db.pool, { ...march, resolution: "1W" }))[0]);
    expect(weeks.hasMore).toBe(false);
    expect(weeks.priceLimits).toBeNull();

    const months = await queryCandles(db.pool, { symbol: "HPG", resolution: "1M", limit: 10 });
    expect(months.candles.map((c) => c.time.toISOString())).toEqual(["2025-01-31T17:00:00.000Z", "2025-02-28T17:00:00.000Z"]);
    expect(months.candles[1]).toEqual((await rawAggregateCandles(db.pool, { ...march, resolution: "1M" }))[0]);
    expect(months.priceLimits).toBeNull();

    // Paging: the newest week alone says older ones exist; the one before it is whole.
    const newest = await queryCandles(db.pool, { symbol: "HPG", resolution: "1W", limit: 1 });
    expect(newest.candles).toEqual(weeks.candles.slice(1));
    expect(newest.hasMore).toBe(true);
    const before = await queryCandles(db.pool, { symbol: "HPG", resolution: "1W", to: newest.candles[0]!.time, limit: 1 });
    expect(before.candles).toEqual(weeks.candles.slice(0, 1));
    expect(before.hasMore).toBe(false);
  });

  it("4h without from: the newest buckets whole, whatever number of hours that takes", async () => {
    const all = (await queryCandles(db.pool, { symbol: "HPG", resolution: "4h", limit: 100 })).candles;
    expect(all.length).toBe(6);
    for (const limit of [1, 2, 3, 5]) {
      const s = await queryCandles(db.pool, { symbol: "HPG", resolution: "4h", limit });
      expect(s.candles, `limit ${limit}`).toEqual(all.slice(-limit));
      expect(s.hasMore).toBe(true);
    }
  });

  it("5m: whole buckets only, whatever instants the window has", async () => {
    const s = await queryCandles(db.pool, { symbol: "HPG", resolution: "5m", from: vn("2025-03-04T09:17:00"), to: vn("2025-03-04T09:31:00"), limit: 100 });
    // Buckets starting in [09:17, 09:31): 09:20, 09:25, 09:30 (whole, 09:30–09:34).
    expect(s.candles.map((c) => c.time.toISOString())).toEqual(["2025-03-04T02:20:00.000Z", "2025-03-04T02:25:00.000Z", "2025-03-04T02:30:00.000Z"]);
    const [whole] = await rawAggregateCandles(db.pool, { symbol: "HPG", resolution: "5m", from: vn("2025-03-04T09:30:00"), to: vn("2025-03-04T09:35:00"), limit: 1 });
    expect(s.candles[2]).toEqual(whole);
  });

  it("pages backwards: without from, the limit bars before to, and hasMore until the start", async () => {
    const all = (await queryCandles(db.pool, { symbol: "HPG", resolution: "15m", limit: 5000 })).candles;
    expect(all.length).toBe(48);
    const seen = [];
    let to: Date | undefined;
    for (let page = 0; page < 10; page++) {
      const s = await queryCandles(db.pool, { symbol: "HPG", resolution: "15m", to, limit: 20 });
      seen.unshift(...s.candles);
      to = s.candles[0]?.time;
      if (!s.hasMore) break;
    }
    expect(seen).toEqual(all);
  });

  it("1D: intraday-derived days and end-of-day bars together, with the next session's limits", async () => {
    const s = await queryCandles(db.pool, { symbol: "HPG", resolution: "1D", limit: 10 });
    expect(s.candles.map((c) => c.time.toISOString().slice(0, 10))).toEqual(["2025-02-25", "2025-02-26", "2025-02-27", "2025-03-02", "2025-03-03", "2025-03-04"]);
    expect(s.hasMore).toBe(false);
    // The newest session is Wednesday 5 March (stamped 4 March 17:00 UTC): the limits are Thursday's.
    const close = s.candles.at(-1)!.close;
    expect(s.priceLimits).toEqual({ date: "2025-03-06", ...priceLimits("HOSE", close), basis: "previous-close", source: "computed" });
    const index = await queryCandles(db.pool, { symbol: "VNINDEX", resolution: "1D", limit: 5 });
    expect(index.priceLimits).toBeNull();
  });

  it("intraday stocks carry the last day's reference (previous close), ceiling and floor", async () => {
    const s = await queryCandles(db.pool, { symbol: "HPG", resolution: "1m", from: vn("2025-03-04T09:15:00"), to: vn("2025-03-04T10:00:00"), limit: 10 });
    // 25,950 × 1.07 = 27,766.5 → down to the 50 grid; × 0.93 = 24,133.5 → up.
    expect(s.priceLimits).toEqual({ date: "2025-03-04", reference: 25_950, ceiling: 27_750, floor: 24_150, basis: "previous-close", source: "computed" });
    const first = await queryCandles(db.pool, { symbol: "HPG", resolution: "1h", from: vn("2025-03-03T00:00:00"), to: vn("2025-03-03T23:00:00"), limit: 10 });
    expect(first.priceLimits).toEqual({ date: "2025-03-03", reference: 24_200, ceiling: 25_850, floor: 22_550, basis: "previous-close", source: "computed" });
    const index = await queryCandles(db.pool, { symbol: "VNINDEX", resolution: "1m", limit: 5 });
    expect(index).toMatchObject({ kind: "index", unit: "points", priceLimits: null });
  });

  it("UPCOM: the reference is the previous session's volume-weighted average price, not its close", async () => {
    // 150 morning minutes at typical 20,200 × 3,000 shares and 120 afternoon minutes at 22,000 × 1,000:
    // VWAP 20,578.9 → 20,600 on the 100 grid (the close, 22,000, would give 25,300 / 18,700).
    const s = await queryCandles(db.pool, { symbol: "PHP", resolution: "1m", from: vn("2025-03-04T09:15:00"), to: vn("2025-03-04T10:00:00"), limit: 10 });
    // 20,600 × 1.15 = 23,690 → 23,600 (down); × 0.85 = 17,510 → 17,600 (up).
    expect(s.priceLimits).toEqual({ date: "2025-03-04", reference: 20_600, ceiling: 23_600, floor: 17_600, basis: "previous-vwap", source: "computed" });
  });

  it("UPCOM after a session with only a daily bar: its typical price, named as an approximation", async () => {
    const s = await queryCandles(db.pool, { symbol: "PHP", resolution: "15m", from: vn("2025-03-03T00:00:00"), to: vn("2025-03-04T00:00:00"), limit: 100 });
    // 28 February: (21,000 + 19,500 + 20,100) / 3 = 20,200; × 1.15 = 23,230 → 23,200; × 0.85 = 17,170 → 17,200.
    expect(s.priceLimits).toEqual({ date: "2025-03-03", reference: 20_200, ceiling: 23_200, floor: 17_200, basis: "previous-vwap-approx", source: "computed" });
  });

  it("an empty window says whether older bars exist", async () => {
    const before = await queryCandles(db.pool, { symbol: "HPG", resolution: "1m", from: vn("2025-03-01T00:00:00"), to: vn("2025-03-02T00:00:00"), limit: 10 });
    expect(before).toMatchObject({ candles: [], hasMore: false, priceLimits: null });
    const commodity = await queryCandles(db.pool, { symbol: "IRON_ORE", resolution: "1D", limit: 10 });
    expect(commodity).toMatchObject({ candles: [], hasMore: false, unit: "USD/t", exchange: null });
  });

  it("refuses an unknown symbol, a reversed range and a limit out of range", async () => {
    await expect(queryCandles(db.pool, { symbol: "XYZ", resolution: "1m", limit: 10 })).rejects.toThrow(UnknownSymbolError);
    await expect(queryCandles(db.pool, { symbol: "XYZ", resolution: "1m", limit: 10 })).rejects.toThrow(/^Unknown symbol XYZ: /);
    const reversed = queryCandles(db.pool, { symbol: "HPG", resolution: "1m", from: vn("2025-03-05T00:00:00"), to: vn("2025-03-04T00:00:00"), limit: 10 });
    await expect(reversed).rejects.toThrow(CandleRangeError);
    await expect(reversed).rejects.toThrow(/from .* must be before to/);
    await expect(queryCandles(db.pool, { symbol: "HPG", resolution: "1m", limit: 0 })).rejects.toThrow(/limit must be .* 1 to 5000/);
    await expect(queryCandles(db.pool, { symbol: "HPG", resolution: "1m", limit: 5001 })).rejects.toThrow(CandleRangeError);
  });
});
