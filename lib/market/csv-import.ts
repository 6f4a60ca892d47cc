/**
 * Importing candles from a CSV file (the chart page's upload and `npm run import:csv`).
 *
 * Columns, by header name (case-insensitive, any order, extra columns ignored): timestamp | date |
 * time, open, high, low, close, volume (volume may be missing for index points). Times: a date
 * (2024-01-02) or a date-time without zone, read as Vietnam time, or ISO 8601 with a zone, or epoch
 * seconds/milliseconds. Units are stated by the user: "thousand VND" prices are multiplied by 1,000
 * exactly (decimal.js: 25.95 → 25,950), "VND" and "points" are kept.
 *
 * Every row is checked with the project's candle rules (candle-validation.ts). A file with a bad row
 * imports nothing, unless the caller asks to skip bad rows: then the good ones are imported in one
 * transaction and the skipped lines are listed.
 *
 * A wrong unit reads as valid bars (4.62 VND instead of 4,620), so a stock's file is also checked as a
 * whole (unit-check.ts): most prices off the exchange's tick grid, or closes about 1,000 times (or
 * 1/1,000 of) the ones QuantFlow holds. Such a warning is shown in the preview, and the import is
 * refused, storing nothing, until the caller confirms it.
 */
import { parse } from "csv-parse/sync";
import Decimal from "decimal.js";
import { z } from "zod";
import { parseInstant, toVnDate } from "../time";
import { dailyBarSchema, minuteBarSchema, SYMBOL_PATTERN } from "./candle-validation";
import { vnMidnightUtc } from "./calendar";
import { ingestCandles, ingestDailyBars, refreshAggregates, type ConnectionSource } from "./ingest";
import type { Queryable } from "./queryable";
import { findSymbol, UnknownSymbolError, type SymbolInfo } from "./symbols";
import type { CandleRow } from "./types";
import { unitWarnings, type UnitWarning } from "./unit-check";

export type { UnitWarning };

export const CSV_UNITS = ["VND", "thousand VND", "points"] as const;
export const CSV_RESOLUTIONS = ["1D", "1m"] as const;
export const MAX_CSV_BYTES = 20 * 1024 * 1024;
export const PREVIEW_ROWS = 10;

export const csvOptionsSchema = z.object({
  symbol: z
    .string({ error: "symbol is required" })
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(SYMBOL_PATTERN, "symbol must be 1-20 of A-Z, 0-9, '.', '_', '-'")),
  unit: z.enum(CSV_UNITS, { error: `unit must be one of: ${CSV_UNITS.join(", ")}` }),
  resolution: z.enum(CSV_RESOLUTIONS, { error: `resolution must be one of: ${CSV_RESOLUTIONS.join(", ")}` }),
});
export type CsvOptions = z.infer<typeof csvOptionsSchema>;

export interface CsvProblem {
  /** 1-based line of the file. */
  line: number;
  message: string;
}

export interface ParsedCsv {
  rows: { line: number; bar: CandleRow }[];
  problems: CsvProblem[];
}

/** The file as a whole cannot be read (size, header): nothing row by row to report. */
export class CsvFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvFileError";
  }
}

/** Bad rows and no permission to skip them: nothing was imported. */
export class CsvRejectedError extends Error {
  constructor(readonly problems: CsvProblem[]) {
    super(
      `${problems.length} bad row${problems.length === 1 ? "" : "s"}; nothing was imported (choose "skip bad rows" to import the others): ` +
        problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`).join("; ") +
        (problems.length > 5 ? `; … and ${problems.length - 5} more` : ""),
    );
    this.name = "CsvRejectedError";
  }
}

const TIME_COLUMNS = ["timestamp", "date", "time"];
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function parseTime(text: string, resolution: CsvOptions["resolution"]): Date | string {
  const value = text.trim();
  let instant: Date | undefined;
  // Epoch seconds (up to 11 digits) or milliseconds.
  if (/^\d{9,11}$/.test(value)) instant = new Date(Number(value) * 1000);
  else instant = parseInstant(value);
  if (!instant) return `time ${JSON.stringify(value)} is not a date (use 2024-01-02, 2024-01-02 09:15, ISO 8601 or epoch seconds)`;
  // A daily bar is stamped 00:00 in Vietnam of its trading day, whatever time of day the file gives.
  return resolution === "1D" ? vnMidnightUtc(toVnDate(instant)) : instant;
}

function parsePrice(name: string, text: string | undefined, unit: CsvOptions["unit"]): number | string {
  const value = (text ?? "").trim();
  if (!NUMBER.test(value)) return `${name} ${JSON.stringify(value)} is not a number`;
  const d = new Decimal(value);
  return (unit === "thousand VND" ? d.times(1000) : d).toNumber();
}

function parseVolume(text: string | undefined, optional: boolean): number | string {
  const value = (text ?? "").trim();
  if (value === "" && optional) return 0;
  if (!NUMBER.test(value)) return `volume ${JSON.stringify(value)} is not a number`;
  const d = new Decimal(value);
  if (!d.isInteger()) return `volume ${value} is not a whole number of shares`;
  return d.toNumber();
}

/** Reads the file: the good rows with their line, and every problem. Throws CsvFileError. */
export function parseCandleCsv(input: string | Buffer, opts: CsvOptions): ParsedCsv {
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.length;
  if (size > MAX_CSV_BYTES) throw new CsvFileError(`The file is ${(size / 1048576).toFixed(1)} MB; the limit is ${MAX_CSV_BYTES / 1048576} MB.`);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(input, { info: true, skip_empty_lines: true, relax_column_count: true, bom: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    throw new CsvFileError(`The file is not readable as CSV: ${(error as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header) throw new CsvFileError("The file is empty.");
  const names = header.record.map((h) => h.toLowerCase());
  const timeIndex = names.findIndex((n) => TIME_COLUMNS.includes(n));
  const col = (n: string) => names.indexOf(n);
  const missing = ["open", "high", "low", "close"].filter((n) => col(n) < 0);
  if (timeIndex < 0) missing.unshift("timestamp (or date, time)");
  const volumeOptional = opts.unit === "points";
  if (col("volume") < 0 && !volumeOptional) missing.push("volume");
  if (missing.length > 0) {
    throw new CsvFileError(`Line 1 (the header) lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; it has: ${header.record.join(", ")}.`);
  }

  const schema = opts.resolution === "1D" ? dailyBarSchema : minuteBarSchema;
  const rows: ParsedCsv["rows"] = [];
  const problems: CsvProblem[] = [];
  const seen = new Map<number, number>();
  for (const { record, info } of body) {
    const line = info.lines;
    const cell = (i: number) => (i >= 0 ? record[i] : undefined);
    const time = parseTime(cell(timeIndex) ?? "", opts.resolution);
    const open = parsePrice("open", cell(col("open")), opts.unit);
    const high = parsePrice("high", cell(col("high")), opts.unit);
    const low = parsePrice("low", cell(col("low")), opts.unit);
    const close = parsePrice("close", cell(col("close")), opts.unit);
    const volume = parseVolume(cell(col("volume")), volumeOptional);
    const fieldErrors = [time, open, high, low, close, volume].filter((v): v is string => typeof v === "string");
    if (fieldErrors.length > 0) {
      problems.push({ line, message: fieldErrors.join("; ") });
      continue;
    }
    const checked = schema.safeParse({ time, symbol: opts.symbol, open, high, low, close, volume });
    if (!checked.success) {
      problems.push({ line, message: checked.error.issues.map((i) => i.message).join("; ") });
      continue;
    }
    const t = checked.data.time.getTime();
    const earlier = seen.get(t);
    if (earlier !== undefined) {
      problems.push({ line, message: `same ${opts.resolution === "1D" ? "day" : "minute"} as line ${earlier}` });
      continue;
    }
    seen.set(t, line);
    rows.push({ line, bar: checked.data });
  }
  if (rows.length === 0 && problems.length === 0) throw new CsvFileError("The file has a header but no rows.");
  return { rows, problems };
}

/** A unit warning stands and the import was not confirmed: nothing was imported. */
export class CsvUnconfirmedError extends Error {
  constructor(readonly warnings: UnitWarning[]) {
    super(
      `Nothing was imported: ${warnings.map((w) => w.message).join(" ")} If the unit is right, confirm the import (confirmWarnings).`,
    );
    this.name = "CsvUnconfirmedError";
  }
}

/** Whether the stated unit fits the symbol: stocks are priced in VND, indices and series in their own units. */
async function checkSymbol(db: Queryable, opts: CsvOptions): Promise<SymbolInfo> {
  const info = await findSymbol(db, opts.symbol);
  if (!info) throw new UnknownSymbolError(opts.symbol);
  const stockUnit = opts.unit !== "points";
  if ((info.kind === "stock") !== stockUnit) {
    throw new CsvFileError(
      info.kind === "stock"
        ? `${opts.symbol} is a stock: its prices are in "VND" or "thousand VND", not "${opts.unit}".`
        : `${opts.symbol} is ${info.kind === "index" ? "an index" : "a commodity series"}: choose the unit "points" (values kept as they are).`,
    );
  }
  return info;
}

export interface CsvPreview {
  rows: number;
  preview: CandleRow[];
  problems: CsvProblem[];
  /** Signs of a wrong unit; importing then needs confirmWarnings. */
  warnings: UnitWarning[];
}

/** What an import would do: the number of good rows, the first ones, every problem and unit warning. */
export async function previewCandleCsv(db: Queryable, input: string | Buffer, opts: CsvOptions): Promise<CsvPreview> {
  const info = await checkSymbol(db, opts);
  const parsed = parseCandleCsv(input, opts);
  return {
    rows: parsed.rows.length,
    preview: parsed.rows.slice(0, PREVIEW_ROWS).map((r) => r.bar),
    problems: parsed.problems,
    warnings: await unitWarnings(db, info, parsed.rows),
  };
}

export interface CsvImportResult {
  imported: number;
  skipped: CsvProblem[];
}

/**
 * Imports the file in one transaction. Throws CsvRejectedError (nothing imported) when a row is bad
 * and skipBadRows is false; with skipBadRows, imports the good rows and lists the skipped lines.
 * Throws CsvUnconfirmedError (nothing imported) when the preview's unit warnings stand and
 * confirmWarnings is false: the check runs here again, so no client can skip it.
 */
export async function importCandleCsv(
  db: ConnectionSource & Queryable,
  input: string | Buffer,
  opts: CsvOptions & { skipBadRows: boolean; confirmWarnings: boolean },
): Promise<CsvImportResult> {
  const info = await checkSymbol(db, opts);
  const parsed = parseCandleCsv(input, opts);
  if (parsed.problems.length > 0 && !opts.skipBadRows) throw new CsvRejectedError(parsed.problems);
  if (!opts.confirmWarnings) {
    const warnings = await unitWarnings(db, info, parsed.rows);
    if (warnings.length > 0) throw new CsvUnconfirmedError(warnings);
  }
  const bars = parsed.rows.map((r) => r.bar);
  if (bars.length > 0) {
    if (opts.resolution === "1D") await ingestDailyBars(db, bars);
    else {
      await ingestCandles(db, bars);
      await refreshAggregates(db);
    }
  }
  return { imported: bars.length, skipped: parsed.problems };
}
