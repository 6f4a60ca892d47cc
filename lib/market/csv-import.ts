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
 * Files are read as a stream (readCandleCsv): csv-parse is fed chunk by chunk, rows are checked and
 * written in batches, and the event loop is given back between batches, so a 20 MB file neither sits
 * in memory as one string nor stalls the other requests of the process. An import stages its rows in a
 * temporary table of its connection and moves them into the candle tables with one statement (one
 * transaction) at the end, once every row is read and the unit check and the bounds have passed: a bad
 * row on the last line still stores nothing. The weekly partitions the rows need are made just before
 * that statement, each in a brief transaction of its own, so the import never holds the lock that
 * reads of the default partition wait for (partitions.ts); a failed move drops them again.
 *
 * A wrong unit reads as valid bars (4.62 VND instead of 4,620), so a stock's file is also checked as a
 * whole (unit-check.ts): most prices off the exchange's tick grid, or closes about 1,000 times (or
 * 1/1,000 of) the ones QuantFlow holds. Such a warning is shown in the preview, and the import is
 * refused, storing nothing, until the caller confirms it.
 *
 * Every bar also meets the sanity bounds (bar-bounds.ts: a plausible price and volume, a stock's daily
 * limits against the previous session, reviewed overrides for corporate actions); confirming does not
 * lift them. The preview says which bars are outside them, and which stored bars the file would
 * change; the import refuses the file whole (CsvOutOfBoundsError) or answers the bars it changed. The
 * bounds judge the file as a whole (each day against the one before, in the file or stored), so the
 * parsed bars are kept until the end of the file: about 40 MB for a 20 MB file.
 */
import { parse as parseStream, type Info } from "csv-parse";
import { parse } from "csv-parse/sync";
import Decimal from "decimal.js";
import { Readable } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import { z } from "zod";
import { parseInstant, toVnDate } from "../time";
import { BarBoundsError, checkBarBounds } from "./bar-bounds";
import { dailyBarSchema, minuteBarSchema, SYMBOL_PATTERN, validateBatch, type CandleIssue } from "./candle-validation";
import { vnMidnightUtc } from "./calendar";
import { CSV_TOO_LARGE, MAX_CSV_BYTES } from "./csv-limits";
import { createStagingTable, dropStagingTable, moveStagedRows, stageRows } from "./csv-staging";
import { CHANGE_SAMPLE, inTransaction, refreshAggregates, weekStarts, withConnection, type CandleChange, type ConnectionSource } from "./ingest";
import type { Queryable } from "./queryable";
import { withWeekPartitions } from "./partitions";
import { findSymbol, UnknownSymbolError, type SymbolInfo } from "./symbols";
import type { CandleRow } from "./types";
import { UnitEvidence, type UnitWarning } from "./unit-check";

export type { UnitWarning };
export { CSV_TOO_LARGE, MAX_CSV_BYTES };

export const CSV_UNITS = ["VND", "thousand VND", "points"] as const;
export const CSV_RESOLUTIONS = ["1D", "1m"] as const;
export const PREVIEW_ROWS = 10;
/** Rows checked between two turns of the event loop (a few milliseconds of work) and written per COPY. */
export const CSV_BATCH_ROWS = 2_000;

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

/** The file is over MAX_CSV_BYTES (found while it streams in): nothing was imported. The routes answer 413. */
export class CsvTooLargeError extends CsvFileError {
  constructor() {
    super(CSV_TOO_LARGE);
    this.name = "CsvTooLargeError";
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

const PARSE_OPTIONS = { info: true, skip_empty_lines: true, relax_column_count: true, bom: true, trim: true } as const;
const MINUTE_MS = 60_000;

type ParsedRow = ParsedCsv["rows"][number];

/**
 * Checks a file's records one at a time: first the header, then each row. Holds no rows, only the
 * minute of each good one (a small integer), to name a repeated minute or day by its first line.
 */
class CandleRecordChecker {
  private readonly seen = new Map<number, number>();
  private readonly schema;
  private readonly volumeOptional: boolean;
  private columns?: { time: number; open: number; high: number; low: number; close: number; volume: number };

  constructor(private readonly opts: CsvOptions) {
    this.schema = opts.resolution === "1D" ? dailyBarSchema : minuteBarSchema;
    this.volumeOptional = opts.unit === "points";
  }

  get hasHeader(): boolean {
    return this.columns !== undefined;
  }

  /** Throws CsvFileError naming the missing columns. */
  header(record: string[]): void {
    const names = record.map((h) => h.toLowerCase());
    const col = (n: string) => names.indexOf(n);
    const time = names.findIndex((n) => TIME_COLUMNS.includes(n));
    const missing = ["open", "high", "low", "close"].filter((n) => col(n) < 0);
    if (time < 0) missing.unshift("timestamp (or date, time)");
    if (col("volume") < 0 && !this.volumeOptional) missing.push("volume");
    if (missing.length > 0) {
      throw new CsvFileError(`Line 1 (the header) lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; it has: ${record.join(", ")}.`);
    }
    this.columns = { time, open: col("open"), high: col("high"), low: col("low"), close: col("close"), volume: col("volume") };
  }

  row(record: string[], line: number): ParsedRow | CsvProblem {
    const c = this.columns!;
    const { opts } = this;
    const cell = (i: number) => (i >= 0 ? record[i] : undefined);
    const time = parseTime(cell(c.time) ?? "", opts.resolution);
    const open = parsePrice("open", cell(c.open), opts.unit);
    const high = parsePrice("high", cell(c.high), opts.unit);
    const low = parsePrice("low", cell(c.low), opts.unit);
    const close = parsePrice("close", cell(c.close), opts.unit);
    const volume = parseVolume(cell(c.volume), this.volumeOptional);
    const fieldErrors = [time, open, high, low, close, volume].filter((v): v is string => typeof v === "string");
    if (fieldErrors.length > 0) return { line, message: fieldErrors.join("; ") };
    const checked = this.schema.safeParse({ time, symbol: opts.symbol, open, high, low, close, volume });
    if (!checked.success) return { line, message: checked.error.issues.map((i) => i.message).join("; ") };
    // Good rows start a minute (1m) or a day at 00:00 in Vietnam (1D): whole minutes since 1970.
    const minute = checked.data.time.getTime() / MINUTE_MS;
    const earlier = this.seen.get(minute);
    if (earlier !== undefined) return { line, message: `same ${opts.resolution === "1D" ? "day" : "minute"} as line ${earlier}` };
    this.seen.set(minute, line);
    return { line, bar: checked.data };
  }
}

const isProblem = (r: ParsedRow | CsvProblem): r is CsvProblem => "message" in r;

/** Reads a whole file held in memory: the good rows with their line, and every problem. Throws CsvFileError. */
export function parseCandleCsv(input: string | Buffer, opts: CsvOptions): ParsedCsv {
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.length;
  if (size > MAX_CSV_BYTES) throw new CsvFileError(`The file is ${(size / 1048576).toFixed(1)} MB; the limit is ${MAX_CSV_BYTES / 1048576} MB.`);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(input, PARSE_OPTIONS) as unknown as typeof records;
  } catch (error) {
    throw new CsvFileError(`The file is not readable as CSV: ${(error as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header) throw new CsvFileError("The file is empty.");
  const checker = new CandleRecordChecker(opts);
  checker.header(header.record);
  const rows: ParsedCsv["rows"] = [];
  const problems: CsvProblem[] = [];
  for (const { record, info } of body) {
    const result = checker.row(record, info.lines);
    if (isProblem(result)) problems.push(result);
    else rows.push(result);
  }
  if (rows.length === 0 && problems.length === 0) throw new CsvFileError("The file has a header but no rows.");
  return { rows, problems };
}

/** A file: streamed (an upload's File.stream(), a file read stream) or already in memory. */
export type CsvSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string> | string | Buffer;

async function* webStreamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** What csv-parse is given at a time: it parses a whole chunk in one go, whatever its consumer reads. */
const PARSE_CHUNK_BYTES = 64 * 1024;

/**
 * The source's bytes in slices of at most PARSE_CHUNK_BYTES, counted: past MAX_CSV_BYTES the stream
 * fails with CsvTooLargeError. Slicing matters: an upload's File.stream() gives the whole file as one
 * chunk, which csv-parse would turn into every record at once, blocking the event loop for seconds.
 */
async function* limitedChunks(source: CsvSource): AsyncGenerator<Buffer> {
  const chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> =
    typeof source === "string" || Buffer.isBuffer(source) ? [source] : "getReader" in source ? webStreamChunks(source) : source;
  let bytes = 0;
  for await (const chunk of chunks) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    bytes += buf.byteLength;
    if (bytes > MAX_CSV_BYTES) throw new CsvTooLargeError();
    for (let at = 0; at < buf.byteLength; at += PARSE_CHUNK_BYTES) yield buf.subarray(at, at + PARSE_CHUNK_BYTES);
  }
}

export interface CsvBatch {
  rows: ParsedRow[];
  problems: CsvProblem[];
}

/**
 * Reads a file as a stream: batches of about `batchRows` records (good rows and problems), the event
 * loop given back between them. The source is pulled only as the batches are consumed, so at most a
 * batch and the streams' small buffers are in memory at once. Throws CsvFileError (the header, an
 * empty file, unreadable CSV) or CsvTooLargeError, possibly after earlier batches were yielded.
 */
export async function* readCandleCsv(source: CsvSource, opts: CsvOptions, batchRows = CSV_BATCH_ROWS): AsyncGenerator<CsvBatch> {
  const checker = new CandleRecordChecker(opts);
  const input = Readable.from(limitedChunks(source));
  const parser = parseStream(PARSE_OPTIONS);
  // pipe() does not forward errors: the size limit's must end the parse.
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  let batch: CsvBatch = { rows: [], problems: [] };
  let records = 0;
  let any = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      if (!checker.hasHeader) {
        checker.header(record);
        continue;
      }
      any = true;
      const result = checker.row(record, info.lines);
      if (isProblem(result)) batch.problems.push(result);
      else batch.rows.push(result);
      if (++records % batchRows === 0) {
        yield batch;
        batch = { rows: [], problems: [] };
        // Other requests' turn: a batch is a few milliseconds of work.
        await nextTurn();
      }
    }
  } catch (error) {
    if (error instanceof CsvFileError) throw error;
    throw new CsvFileError(`The file is not readable as CSV: ${(error as Error).message}`);
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (!checker.hasHeader) throw new CsvFileError("The file is empty.");
  if (!any) throw new CsvFileError("The file has a header but no rows.");
  if (batch.rows.length > 0 || batch.problems.length > 0) yield batch;
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
  /** Bars outside the sanity bounds (the import would be refused); messages name the file's line. */
  outOfBounds: CsvProblem[];
  /** Stored bars the file would replace with different values, and the first CHANGE_SAMPLE of them. */
  changed: number;
  changes: CandleChange[];
}

/** The file's good rows, kept for the checks that judge the file as a whole (the sanity bounds). */
interface FileBars {
  bars: CandleRow[];
  lines: number[];
}

/** The bars of the file outside the sanity bounds, by line; [] when all pass. */
async function outOfBounds(db: Queryable, file: FileBars, daily: boolean): Promise<{ problems: CsvProblem[]; refused: number }> {
  try {
    await checkBarBounds(db, file.bars, daily ? "daily" : "minute");
    return { problems: [], refused: 0 };
  } catch (error) {
    if (!(error instanceof BarBoundsError)) throw error;
    const problems = error.issues.map((i: CandleIssue) => ({ line: file.lines[i.index] ?? 0, message: i.message.replace(/^rows\[\d+\] /, "") }));
    return { problems, refused: error.refused.length };
  }
}

/** Stored bars at the file's times whose values differ from the file's (read only). */
async function wouldChange(db: Queryable, opts: CsvOptions, rows: readonly CandleRow[]): Promise<{ changed: number; changes: CandleChange[] }> {
  if (rows.length === 0) return { changed: 0, changes: [] };
  const table = opts.resolution === "1D" ? "market_candles_eod" : "market_candles";
  const { rows: stored } = await db.query(
    `SELECT t.time, t.open, t.high, t.low, t.close, t.volume::text AS volume
       FROM ${table} t JOIN unnest($2::timestamptz[]) AS f(time) ON t.time = f.time
      WHERE t.symbol = $1 ORDER BY t.time`,
    [opts.symbol, rows.map((r) => r.time.toISOString())],
  );
  const file = new Map(rows.map((r) => [r.time.getTime(), r]));
  const changes: CandleChange[] = [];
  for (const s of stored as { time: Date; open: number; high: number; low: number; close: number; volume: string }[]) {
    const f = file.get(s.time.getTime())!;
    const before = { open: s.open, high: s.high, low: s.low, close: s.close, volume: Number(s.volume) };
    const after = { open: f.open, high: f.high, low: f.low, close: f.close, volume: f.volume };
    if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ symbol: opts.symbol, time: s.time, before, after });
  }
  return { changed: changes.length, changes: changes.slice(0, CHANGE_SAMPLE) };
}

/**
 * What an import would do: the number of good rows, the first ones, every problem and unit warning, the
 * bars outside the sanity bounds, and the stored bars it would change. Stores nothing.
 */
export async function previewCandleCsv(db: Queryable, input: CsvSource, opts: CsvOptions): Promise<CsvPreview> {
  const info = await checkSymbol(db, opts);
  const evidence = new UnitEvidence(info);
  const preview: CandleRow[] = [];
  const problems: CsvProblem[] = [];
  const file: FileBars = { bars: [], lines: [] };
  let rows = 0;
  for await (const batch of readCandleCsv(input, opts)) {
    rows += batch.rows.length;
    for (const r of batch.rows.slice(0, PREVIEW_ROWS - preview.length)) preview.push(r.bar);
    problems.push(...batch.problems);
    evidence.add(batch.rows);
    for (const r of batch.rows) {
      file.bars.push(r.bar);
      file.lines.push(r.line);
    }
  }
  return {
    rows,
    preview,
    problems,
    warnings: await evidence.warnings(db),
    outOfBounds: (await outOfBounds(db, file, opts.resolution === "1D")).problems,
    ...(await wouldChange(db, opts, file.bars)),
  };
}

/** Bars of the file outside the sanity bounds: nothing was imported. */
export class CsvOutOfBoundsError extends Error {
  constructor(
    readonly problems: CsvProblem[],
    refused: number,
  ) {
    super(
      `${refused} bar${refused === 1 ? " is" : "s are"} outside the sanity bounds; nothing was imported: ` +
        problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`).join("; ") +
        (refused > 5 ? `; … and ${refused - 5} more` : ""),
    );
    this.name = "CsvOutOfBoundsError";
  }
}

export interface CsvImportResult {
  imported: number;
  skipped: CsvProblem[];
  /** Stored bars the file replaced with different values (logged in market_candle_changes). */
  changed: number;
  /** The first CHANGE_SAMPLE of them, before → after. */
  changes: CandleChange[];
}

/**
 * Imports the file in one transaction. Throws CsvRejectedError (nothing imported) when a row is bad
 * and skipBadRows is false; with skipBadRows, imports the good rows and lists the skipped lines.
 * Throws CsvUnconfirmedError (nothing imported) when the preview's unit warnings stand and
 * confirmWarnings is false: the check runs here again, so no client can skip it. Throws
 * CsvFileError / CsvTooLargeError (nothing imported) for a file that cannot be read whole.
 *
 * The rows are staged batch by batch in a temporary table of the connection (csv-staging.ts); the
 * unit check and the bounds compare the file with what was stored before it, the file's new weeks get
 * their partitions, then one statement upserts the rows.
 */
export async function importCandleCsv(
  db: ConnectionSource & Queryable,
  input: CsvSource,
  opts: CsvOptions & { skipBadRows: boolean; confirmWarnings: boolean; userId?: string | null },
): Promise<CsvImportResult> {
  const info = await checkSymbol(db, opts);
  const daily = opts.resolution === "1D";
  const result = await withConnection(db, async (conn) => {
    await createStagingTable(conn);
    try {
      const evidence = new UnitEvidence(info);
      const problems: CsvProblem[] = [];
      const weeks = new Set<string>();
      const file: FileBars = { bars: [], lines: [] };
      let imported = 0;
      for await (const batch of readCandleCsv(input, opts)) {
        problems.push(...batch.problems);
        // Refused already: read on only to name every bad line.
        if (problems.length > 0 && !opts.skipBadRows) continue;
        if (batch.rows.length === 0) continue;
        // The writer's own checks (ingest.ts does the same before any write).
        const bars = validateBatch(batch.rows.map((r) => r.bar), daily ? "daily" : "minute").rows;
        await stageRows(conn, bars);
        evidence.add(batch.rows);
        for (const r of batch.rows) {
          file.bars.push(r.bar);
          file.lines.push(r.line);
        }
        if (!daily) for (const week of weekStarts(bars)) weeks.add(week);
        imported += bars.length;
      }
      if (problems.length > 0 && !opts.skipBadRows) throw new CsvRejectedError(problems);
      if (!opts.confirmWarnings) {
        const warnings = await evidence.warnings(conn);
        if (warnings.length > 0) throw new CsvUnconfirmedError(warnings);
      }
      // Before the move and before any partition is made: judged against what was stored before the
      // file, and a refused file makes no week.
      const bounds = await outOfBounds(conn, file, daily);
      if (bounds.refused > 0) throw new CsvOutOfBoundsError(bounds.problems, bounds.refused);
      if (imported === 0) return { imported, skipped: problems, changed: 0, changes: [] };
      const move = () =>
        inTransaction(conn, () =>
          moveStagedRows(conn, daily ? "market_candles_eod" : "market_candles", { source: "csv-import", userId: opts.userId ?? null }),
        );
      // The file's new weeks are made first, each in a brief transaction of its own, then the rows
      // move in one statement; a failed move drops the weeks it made again (partitions.ts).
      const moved = daily ? await move() : await withWeekPartitions(conn, [...weeks], move);
      return { imported, skipped: problems, changed: moved.changed, changes: moved.changes };
    } finally {
      await dropStagingTable(conn).catch(() => {});
    }
  });
  if (result.imported > 0 && !daily) await refreshAggregates(db);
  return result;
}
