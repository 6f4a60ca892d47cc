/**
 * Signs that a stock's CSV was read in the wrong unit. A thousand-VND file read as "VND" stores valid
 * bars of 4.62 VND; a VND file read as "thousand VND", bars of 26,350,000 VND. Two checks over the
 * whole file:
 * - "off-tick": more than half of the prices are off the exchange's tick grid (rules.ts). Fractions of
 *   a dong point at a thousand-VND file read as VND. Whole prices off the grid are named too, with the
 *   note that back-adjusted history (the usual vendor files) is off the grid by nature;
 * - "scale": the file's daily closes are about 1,000 times, or 1/1,000 of, the closes QuantFlow holds
 *   (the median ratio over the days both have, else against the stored close nearest the file).
 * Indices and commodity series (points) have no tick grid and are not checked.
 */
import Decimal from "decimal.js";
import { lastCloseBefore } from "./candles";
import { vnMidnightUtc } from "./calendar";
import type { Queryable } from "./queryable";
import { isOnTick, type Exchange } from "./rules";
import type { CandleRow, SymbolInfo } from "./types";
import { toVnDate } from "../time";

export interface UnitWarning {
  code: "off-tick" | "scale";
  message: string;
}

interface Row {
  line: number;
  bar: CandleRow;
}

const DAY_MS = 86_400_000;
const FIELDS = ["open", "high", "low", "close"] as const;
/** "About 1,000 times": the median ratio within a factor of 3 of 1,000 (prices drift, a unit is exact). */
const SCALE = { low: 1000 / 3, high: 3000 };
const CONFIRM = "or confirm the import if the prices are right.";

const vnd = (n: number) => new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 }).format(n);

/**
 * Counts prices off the exchange's tick grid, a batch at a time (a streamed file is never held whole).
 */
export class OffTickTally {
  private total = 0;
  private off = 0;
  private fractional = 0;
  private example: string | null = null;

  constructor(private readonly exchange: Exchange) {}

  add(rows: readonly Row[]): void {
    for (const { line, bar } of rows) {
      for (const field of FIELDS) {
        const price = bar[field];
        this.total++;
        if (isOnTick(this.exchange, price)) continue;
        this.off++;
        if (!Number.isInteger(price)) this.fractional++;
        this.example ??= `line ${line}: ${field} ${vnd(price)} VND`;
      }
    }
  }

  /** Most prices off the grid; null when at most half are. */
  warning(): UnitWarning | null {
    const { total, off, fractional, example, exchange } = this;
    if (off * 2 <= total) return null;
    const head = `${vnd(off)} of ${vnd(total)} prices are off the ${exchange} tick grid`;
    return {
      code: "off-tick",
      message:
        fractional * 2 > total
          ? `${head}, most of them fractions of a dong (${example}): prices in thousand VND read as "VND" look like this. Choose the unit "thousand VND", ${CONFIRM}`
          : `${head} (${example}). Back-adjusted history is off the grid by nature, and so is a price in the wrong unit: check the unit, ${CONFIRM}`,
    };
  }
}

/** Most prices off the exchange's tick grid; null when at most half are. */
export function offTickWarning(exchange: Exchange, rows: readonly Row[]): UnitWarning | null {
  const tally = new OffTickTally(exchange);
  tally.add(rows);
  return tally.warning();
}

export interface ClosePair {
  fileDay: string;
  fileClose: number;
  storedDay: string;
  storedClose: number;
}

/** Closes about 1,000 times or 1/1,000 of the stored ones (median ratio); null otherwise or without pairs. */
export function scaleWarning(symbol: string, pairs: readonly ClosePair[]): UnitWarning | null {
  if (pairs.length === 0) return null;
  const ratios = pairs.map((p) => new Decimal(p.fileClose).div(p.storedClose)).sort((a, b) => a.comparedTo(b));
  const mid = ratios.length >> 1;
  const median = ratios.length % 2 ? ratios[mid]! : ratios[mid - 1]!.plus(ratios[mid]!).div(2);
  const tooBig = median.gte(SCALE.low) && median.lte(SCALE.high);
  const tooSmall = median.gte(new Decimal(1).div(SCALE.high)) && median.lte(new Decimal(1).div(SCALE.low));
  if (!tooBig && !tooSmall) return null;
  const p = pairs[0]!;
  const where =
    p.fileDay === p.storedDay
      ? `${p.fileDay}: ${vnd(p.fileClose)} VND in this file, ${vnd(p.storedClose)} VND stored`
      : `${p.fileDay}: ${vnd(p.fileClose)} VND in this file; ${p.storedDay}: ${vnd(p.storedClose)} VND stored`;
  return {
    code: "scale",
    message: tooBig
      ? `The closes are about 1,000 times the closes QuantFlow holds for ${symbol} (${where}): a file in VND read as "thousand VND" looks like this. Choose the unit "VND", ${CONFIRM}`
      : `The closes are about 1/1,000 of the closes QuantFlow holds for ${symbol} (${where}): a file in thousand VND read as "VND" looks like this. Choose the unit "thousand VND", ${CONFIRM}`,
  };
}

/** The file's last close of each Vietnamese day, a batch at a time: one entry a day, not a row. */
export class DayCloses {
  private readonly last = new Map<string, CandleRow>();

  add(rows: readonly Row[]): void {
    for (const { bar } of rows) {
      const day = toVnDate(bar.time);
      const seen = this.last.get(day);
      if (!seen || seen.time < bar.time) this.last.set(day, bar);
    }
  }

  /** By day ascending. */
  closes(): Map<string, number> {
    return new Map([...this.last.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, b]) => [d, b.close]));
  }
}

/** The file's daily closes paired with the stored ones: the same days, else the stored close nearest the file. */
async function closePairs(db: Queryable, symbol: string, file: Map<string, number>): Promise<ClosePair[]> {
  const days = [...file.keys()];
  if (days.length === 0) return [];
  const first = vnMidnightUtc(days[0]!);
  const end = new Date(vnMidnightUtc(days.at(-1)!).getTime() + DAY_MS);
  const { rows: stored } = await db.query("SELECT bucket, close FROM market_candles_1d_range($1, $2, $3, 5000)", [symbol, first, end]);
  const pairs: ClosePair[] = [];
  for (const r of stored as { bucket: Date; close: number }[]) {
    const day = toVnDate(r.bucket);
    const fileClose = file.get(day);
    if (fileClose !== undefined && r.close > 0) pairs.push({ fileDay: day, fileClose, storedDay: day, storedClose: r.close });
  }
  if (pairs.length > 0) return pairs.sort((a, b) => (a.fileDay < b.fileDay ? -1 : 1));
  // No day in common: the latest stored close before the file's end, else the first one after its start.
  const before = await lastCloseBefore(db, symbol, end);
  if (before && before.close > 0) {
    const day = toVnDate(before.time);
    const fileDay = days.filter((d) => d <= day).at(-1) ?? days[0]!;
    return [{ fileDay, fileClose: file.get(fileDay)!, storedDay: day, storedClose: before.close }];
  }
  const { rows: after } = await db.query(
    `SELECT t, close FROM (
       (SELECT time AS t, close FROM market_candles WHERE symbol = $1 AND time >= $2 ORDER BY time LIMIT 1)
       UNION ALL
       (SELECT time AS t, close FROM market_candles_eod WHERE symbol = $1 AND time >= $2 ORDER BY time LIMIT 1)) AS x
     ORDER BY t LIMIT 1`,
    [symbol, first],
  );
  const next = after[0] as { t: Date; close: number } | undefined;
  if (!next || !(next.close > 0)) return [];
  const fileDay = days.at(-1)!;
  return [{ fileDay, fileClose: file.get(fileDay)!, storedDay: toVnDate(next.t), storedClose: next.close }];
}

/**
 * The evidence for the unit check, gathered batch by batch as a file streams in (csv-import.ts);
 * warnings() then checks it as a whole. Memory: a few counters and one close per day of the file.
 */
export class UnitEvidence {
  private readonly offTick: OffTickTally | null;
  private readonly days = new DayCloses();
  private rows = 0;

  constructor(private readonly info: SymbolInfo) {
    this.offTick = info.kind === "stock" && info.exchange ? new OffTickTally(info.exchange) : null;
  }

  add(rows: readonly Row[]): void {
    if (!this.offTick) return;
    this.rows += rows.length;
    this.offTick.add(rows);
    this.days.add(rows);
  }

  /** Every sign of a wrong unit (none for other symbols or an empty file). */
  async warnings(db: Queryable): Promise<UnitWarning[]> {
    if (!this.offTick || this.rows === 0) return [];
    const offTick = this.offTick.warning();
    const scale = scaleWarning(this.info.symbol, await closePairs(db, this.info.symbol, this.days.closes()));
    return [offTick, scale].filter((w): w is UnitWarning => w !== null);
  }
}

/** Every sign of a wrong unit in a stock's rows (none for other symbols or an empty file). */
export async function unitWarnings(db: Queryable, info: SymbolInfo, rows: readonly Row[]): Promise<UnitWarning[]> {
  const evidence = new UnitEvidence(info);
  evidence.add(rows);
  return evidence.warnings(db);
}
