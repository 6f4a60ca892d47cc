/**
 * The price board: rows from quotes (tone at ceiling, floor, reference; change against the reference,
 * UPCOM's VWAP reference), sorting and the watchlist first, and the whole board read from a database
 * of this file's own, then served from the cache.
 */
import Decimal from "decimal.js";
import { beforeAll, describe, expect, it } from "vitest";
import { MemoryCache } from "@/lib/cache";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { arrangeBoard, BOARD_KEY, BOARD_TTL_SECONDS, boardRow, computeBoard, getBoard, sortBoardRows, type BoardQuote, type BoardRow } from "./board";
import { ingestCandles, ingestDailyBars } from "./ingest";

const t = (iso: string) => new Date(iso);
const day = t("2025-03-04T00:00:00+07:00");

function quote(over: Partial<BoardQuote>): BoardQuote {
  return {
    symbol: "HPG",
    name: "Hoa Phat Group",
    kind: "stock",
    exchange: "HOSE",
    sector: "Steel",
    at: t("2025-03-04T14:45:00+07:00"),
    day,
    last: 26_000,
    volume: 1_000,
    value: "26000000",
    previous: { close: 26_000, minutes: null, daily: null },
    ...over,
  };
}

describe("boardRow", () => {
  // HOSE, reference 26,000: ceiling 27,800 and floor 24,200 (±7 %, rounded inside to the tick).
  it("colours the ceiling purple, the floor cyan, the reference yellow, up green and down red", () => {
    expect(boardRow(quote({ last: 27_800 }))).toMatchObject({ tone: "ceiling", reference: 26_000, ceiling: 27_800, floor: 24_200, change: 1_800, changePct: 6.92 });
    expect(boardRow(quote({ last: 24_200 }))).toMatchObject({ tone: "floor", change: -1_800, changePct: -6.92 });
    expect(boardRow(quote({ last: 26_000 }))).toMatchObject({ tone: "ref", change: 0, changePct: 0 });
    expect(boardRow(quote({ last: 26_050 }))).toMatchObject({ tone: "up", change: 50 });
    // 650 ₫ under the reference is red, however small the percentage.
    expect(boardRow(quote({ last: 25_350 }))).toMatchObject({ tone: "down", change: -650, changePct: -2.5 });
  });

  it("takes the limits of the exchange: HNX ±10 %", () => {
    expect(boardRow(quote({ exchange: "HNX", last: 18_000, previous: { close: 20_000, minutes: null, daily: null } }))).toMatchObject({
      tone: "floor",
      ceiling: 22_000,
      floor: 18_000,
      changePct: -10,
    });
  });

  it("takes UPCOM's reference from the previous session's average price, not its close", () => {
    // VWAP 10,300 (the minutes' typical prices), close 10,400: the same close today is up, not at the reference.
    const previous = { close: 10_400, minutes: { vwap: new Decimal(10_300), volume: 400 }, daily: null };
    expect(boardRow(quote({ exchange: "UPCOM", last: 10_400, previous }))).toMatchObject({ reference: 10_300, basis: "previous-vwap", tone: "up", change: 100, changePct: 0.97 });
  });

  it("gives an index its previous close as reference, no limits and no value", () => {
    const row = boardRow(quote({ symbol: "VNINDEX", kind: "index", sector: null, last: 1_262.33, value: "1", previous: { close: 1_250.5, minutes: null, daily: null } }));
    expect(row).toMatchObject({ reference: 1_250.5, ceiling: null, floor: null, change: 11.83, changePct: 0.95, tone: "up", value: null });
  });

  it("has no reference, change or tone without an earlier session; the value is whole VND", () => {
    expect(boardRow(quote({ previous: null, value: "26000000.4" }))).toMatchObject({ reference: null, change: null, changePct: null, tone: null, value: 26_000_000 });
  });
});

const row = (symbol: string, changePct: number | null, value: number | null = 1): Pick<BoardRow, "symbol" | "last" | "change" | "changePct" | "volume" | "value"> => ({
  symbol,
  last: 1,
  change: changePct,
  changePct,
  volume: 1,
  value,
});

describe("sorting and the watchlist first", () => {
  const rows = [row("HPG", 1.5), row("VCB", -2), row("FPT", null), row("ACB", 1.5), row("MWG", 3)];

  it("sorts by a column either way, missing figures last either way, ties by symbol", () => {
    expect(sortBoardRows(rows, { key: "changePct", direction: "descending" }).map((r) => r.symbol)).toEqual(["MWG", "ACB", "HPG", "VCB", "FPT"]);
    expect(sortBoardRows(rows, { key: "changePct", direction: "ascending" }).map((r) => r.symbol)).toEqual(["VCB", "ACB", "HPG", "MWG", "FPT"]);
    expect(sortBoardRows(rows, { key: "symbol", direction: "descending" }).map((r) => r.symbol)).toEqual(["VCB", "MWG", "HPG", "FPT", "ACB"]);
    expect(rows.map((r) => r.symbol)).toEqual(["HPG", "VCB", "FPT", "ACB", "MWG"]); // not mutated
  });

  it("puts the watchlist first in its own order, then the rest by symbol; a sort applies within each", () => {
    const board = arrangeBoard(rows, ["VCB", "HPG", "NOTONBOARD"], null);
    expect(board.watched.map((r) => r.symbol)).toEqual(["VCB", "HPG"]);
    expect(board.others.map((r) => r.symbol)).toEqual(["ACB", "FPT", "MWG"]);
    const sorted = arrangeBoard(rows, ["VCB", "HPG"], { key: "changePct", direction: "descending" });
    expect(sorted.watched.map((r) => r.symbol)).toEqual(["HPG", "VCB"]);
    expect(sorted.others.map((r) => r.symbol)).toEqual(["MWG", "ACB", "FPT"]);
  });
});

describe("the board from the database", () => {
  const db = scratchDatabaseForFile("board");

  beforeAll(async () => {
    await db.pool.query(
      `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
         ('VNINDEX', 'VN-Index', 'index', 'HOSE', NULL),
         ('CEIL', 'At the ceiling', 'stock', 'HOSE', 'Steel'), ('REFX', 'At the reference', 'stock', 'HOSE', 'Banks'),
         ('FLOR', 'At the floor', 'stock', 'HNX', 'Energy'), ('UPV', 'UPCOM by VWAP', 'stock', 'UPCOM', 'Steel'),
         ('NEW', 'Listed today', 'stock', 'HOSE', NULL), ('IRON_ORE', 'Iron ore', 'commodity', NULL, 'Commodities')`,
    );
    const eod = (symbol: string, date: string, close: number, volume = 1_000) => ({ time: t(`${date}T00:00:00+07:00`), symbol, open: close, high: close, low: close, close, volume });
    const minute = (symbol: string, hm: string, close: number, volume: number, date = "2025-03-04") => ({
      time: t(`${date}T${hm}:00+07:00`),
      symbol,
      open: close,
      high: close,
      low: close,
      close,
      volume,
    });
    await ingestDailyBars(db.pool, [
      eod("VNINDEX", "2025-03-03", 1_250.5, 0),
      eod("CEIL", "2025-03-03", 10_000),
      eod("REFX", "2025-03-03", 25_000),
      eod("FLOR", "2025-03-03", 20_000),
      eod("FLOR", "2025-03-04", 18_000, 500),
      eod("IRON_ORE", "2025-03-04", 105),
    ]);
    await ingestCandles(db.pool, [
      minute("VNINDEX", "09:15", 1_258, 1_000),
      minute("VNINDEX", "09:16", 1_262.33, 1_000),
      minute("CEIL", "09:15", 10_500, 1_000),
      minute("CEIL", "09:16", 10_700, 2_000),
      minute("REFX", "09:15", 25_000, 100),
      // UPCOM's previous session: typical prices 10,000 × 100 and 10,400 × 300 → VWAP 10,300; its close 10,400.
      minute("UPV", "09:15", 10_000, 100, "2025-03-03"),
      minute("UPV", "09:16", 10_400, 300, "2025-03-03"),
      minute("UPV", "09:15", 10_400, 200),
      minute("NEW", "10:00", 15_000, 100),
    ]);
  });

  it("gives each stock and index its latest session against its reference, and leaves commodities out", async () => {
    const board = await computeBoard(db.pool, t("2025-03-04T15:00:00+07:00"));
    expect(board.asOf).toBe("2025-03-04T10:00:00+07:00");
    const by = Object.fromEntries(board.rows.map((r) => [r.symbol, r]));
    expect(Object.keys(by).sort()).toEqual(["CEIL", "FLOR", "NEW", "REFX", "UPV", "VNINDEX"]);
    expect(by.CEIL).toMatchObject({ date: "2025-03-04", last: 10_700, reference: 10_000, ceiling: 10_700, floor: 9_300, tone: "ceiling", change: 700, changePct: 7, volume: 3_000, value: 31_900_000 });
    expect(by.FLOR).toMatchObject({ last: 18_000, tone: "floor", changePct: -10, volume: 500, value: 9_000_000, sector: "Energy", exchange: "HNX" });
    expect(by.REFX).toMatchObject({ tone: "ref", change: 0, volume: 100, value: 2_500_000 });
    expect(by.UPV).toMatchObject({ reference: 10_300, basis: "previous-vwap", tone: "up", change: 100, volume: 200 });
    expect(by.VNINDEX).toMatchObject({ kind: "index", last: 1_262.33, reference: 1_250.5, changePct: 0.95, value: null, tone: "up" });
    expect(by.NEW).toMatchObject({ reference: null, tone: null, change: null });
  });

  it("serves the cached board until it expires, and recomputes over a foreign value under its key", async () => {
    let clock = Date.now();
    const cache = new MemoryCache(() => clock);
    const first = await getBoard(db.pool, cache);
    expect(first.source).toBe("database");
    expect((await getBoard(db.pool, cache)).source).toBe("memory");
    clock += BOARD_TTL_SECONDS * 1000;
    expect((await getBoard(db.pool, cache)).source).toBe("database");
    await cache.set(BOARD_KEY, JSON.stringify({ rows: "not rows" }), 60);
    const again = await getBoard(db.pool, cache);
    expect(again.source).toBe("database");
    expect(again.rows.map((r) => r.symbol)).toEqual(first.rows.map((r) => r.symbol));
  });
});
