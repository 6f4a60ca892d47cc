/**
 * Correcting stored bars outside the ingest path: delete one symbol's bars in [from, to), or replace
 * them with the given bars, and bring the 1h/1D rollups up to date at once, so a chart never shows a
 * correction in 1m and the old bars in 1h or 1D.
 *
 * "1m" corrects market_candles (the rollups' source); "1D" corrects market_candles_eod (the official
 * daily bars, which market_candles_1d shows as they are).
 *
 * Native shape: delete, insert and the 1h refresh (market_candles_1h_refresh(), a plain function) run
 * in one transaction; anything failing rolls all of it back. TimescaleDB: refresh_continuous_aggregate
 * cannot run inside a transaction, so the corrected window's buckets are refreshed right after the
 * commit; should that refresh fail, the bars are corrected and the error says the scheduled refresh
 * (lib/market/rollup-refresh.ts) will bring 1h/1D along.
 */
import { z } from "zod";
import { parseInstant, toVnIso } from "../time";
import { SYMBOL_PATTERN, validateBatch } from "./candle-validation";
import { CSV_UNITS, parseCandleCsv, type CsvProblem } from "./csv-import";
import { checkBarBounds } from "./bar-bounds";
import {
  CHANGE_SAMPLE,
  inTransaction,
  upsertRows,
  weekStarts,
  withConnection,
  type CandleChange,
  type CandleTable,
  type ConnectionSource,
  type OhlcvValues,
  type TimeSeriesEngine,
} from "./ingest";
import { withWeekPartitions } from "./partitions";
import type { Queryable } from "./queryable";
import { findSymbol, UnknownSymbolError } from "./symbols";
import type { CandleRow } from "./types";

export const CORRECTION_RESOLUTIONS = ["1m", "1D"] as const;
export type CorrectionResolution = (typeof CORRECTION_RESOLUTIONS)[number];
export const CORRECTION_ACTIONS = ["delete", "replace"] as const;

const instant = (name: string) =>
  z.date({ error: `${name} must be a date` }).refine((d) => !Number.isNaN(d.getTime()), `${name} is not a valid date`);

export const correctionSchema = z
  .object({
    symbol: z
      .string({ error: "symbol is required" })
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(SYMBOL_PATTERN, "symbol must be 1-20 of A-Z, 0-9, '.', '_', '-'")),
    resolution: z.enum(CORRECTION_RESOLUTIONS, { error: `resolution must be one of: ${CORRECTION_RESOLUTIONS.join(", ")}` }),
    action: z.enum(CORRECTION_ACTIONS, { error: `action must be one of: ${CORRECTION_ACTIONS.join(", ")}` }),
    from: instant("from"),
    /** Exclusive. */
    to: instant("to"),
    /** The bars that take the range's place ("replace" only): all of the symbol, all inside [from, to). */
    bars: z.array(z.unknown()).default([]),
  })
  .superRefine((c, ctx) => {
    if (c.from.getTime() >= c.to.getTime()) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `from (${toVnIso(c.from)}) must be before to (${toVnIso(c.to)})` });
    }
    if (c.action === "delete" && c.bars.length > 0) {
      ctx.addIssue({ code: "custom", path: ["bars"], message: 'bars are given only with action "replace"; to delete, send none' });
    }
    if (c.action === "replace" && c.bars.length === 0) {
      ctx.addIssue({ code: "custom", path: ["bars"], message: 'action "replace" needs the bars that replace the range; to only remove bars, use "delete"' });
    }
  });
export type CorrectionInput = z.input<typeof correctionSchema>;

/** The request cannot be carried out as given; nothing was changed. */
export class CorrectionError extends Error {
  constructor(
    message: string,
    /** The bad lines of a replacement CSV, when that was the reason. */
    readonly problems: CsvProblem[] = [],
  ) {
    super(message);
    this.name = "CorrectionError";
  }
}

/** The bars are corrected but the TimescaleDB rollups could not be refreshed right after. */
export class CorrectionRefreshError extends Error {
  constructor(readonly result: CorrectionResult, cause: Error) {
    super(
      `The bars were corrected (${result.deleted} removed, ${result.written} written), but refreshing 1h/1D failed: ${cause.message}. ` +
        "The scheduled rollup refresh will bring them up to date; run the correction again to retry now.",
    );
    this.name = "CorrectionRefreshError";
  }
}

export interface CorrectionResult {
  symbol: string;
  resolution: CorrectionResolution;
  from: Date;
  to: Date;
  /** Stored bars removed from the range (replaced bars count here too). */
  deleted: number;
  /** Replacement bars written. */
  written: number;
  /** Stored bars whose values the correction changed or removed (a replacement with the same values is no change). */
  changed: number;
  /** Up to CHANGE_SAMPLE of them, before → after (after null: removed). */
  changes: CandleChange[];
  engine: TimeSeriesEngine;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Day buckets start at 00:00 in Vietnam, 17:00 UTC. */
const VN_DAY_ORIGIN_MS = Date.UTC(2000, 0, 2, 17);
const floorTo = (t: number, step: number, origin = 0) => t - ((((t - origin) % step) + step) % step);
const ceilTo = (t: number, step: number, origin = 0) => floorTo(t - 1, step, origin) + step;

function parse(input: CorrectionInput): z.output<typeof correctionSchema> {
  const parsed = correctionSchema.safeParse(input);
  if (!parsed.success) {
    throw new CorrectionError(`Nothing was changed: ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ` : "") + i.message).join("; ")}`);
  }
  return parsed.data;
}

/**
 * Deletes `symbol`'s bars of `resolution` in [from, to) and, for "replace", writes `bars` in their
 * place; then refreshes the rollups (see the file's comment). Throws CorrectionError,
 * UnknownSymbolError or CandleValidationError before changing anything; a database error rolls the
 * whole correction back.
 */
export async function correctCandles(
  db: ConnectionSource & Queryable,
  input: CorrectionInput,
  by: { userId?: string | null } = {},
): Promise<CorrectionResult> {
  const c = parse(input);
  const { symbol, resolution, from, to } = c;
  if (!(await findSymbol(db, symbol))) throw new UnknownSymbolError(symbol);
  const rows: CandleRow[] = c.bars.length ? validateBatch(c.bars, resolution === "1m" ? "minute" : "daily").rows : [];
  const outside = rows.filter((r) => r.symbol !== symbol || r.time < from || r.time >= to);
  if (outside.length > 0) {
    const r = outside[0]!;
    throw new CorrectionError(
      `Nothing was changed: ${outside.length} replacement bar${outside.length === 1 ? " is" : "s are"} not ${symbol}'s or outside ` +
        `${toVnIso(from)} – ${toVnIso(to)} (first: ${r.symbol} ${toVnIso(r.time)}); widen the range or drop those bars.`,
    );
  }
  const table: CandleTable = resolution === "1m" ? "market_candles" : "market_candles_eod";

  return withConnection(db, async (conn) => {
    const engine = (await conn.query("SELECT market_timeseries_engine() AS engine")).rows[0]?.engine as TimeSeriesEngine;
    // The replacement's new weeks are made before the transaction, as in ingestCandles (partitions.ts).
    const weeks = table === "market_candles" ? weekStarts(rows) : [];
    const result = await withWeekPartitions(conn, weeks, () => inTransaction(conn, async () => {
      const { rows: removed } = await conn.query(
        `DELETE FROM ${table} WHERE symbol = $1 AND time >= $2 AND time < $3 RETURNING time, open, high, low, close, volume::text AS volume`,
        [symbol, from, to],
      );
      // After the delete: the replacement is judged against the sessions that stay, not the ones it replaces.
      await checkBarBounds(conn, rows, resolution === "1m" ? "minute" : "daily");
      const written = rows.length ? (await upsertRows(conn, table, rows, { source: "correction", userId: by.userId ?? null })).written : 0;
      const changes = correctionChanges(symbol, removed as unknown as StoredBar[], rows);
      await logChanges(conn, resolution, changes, by.userId ?? null);
      // The invalidations the delete and the insert left are taken in; the 1D view reads the hours.
      if (table === "market_candles" && engine === "native") await conn.query("SELECT market_candles_1h_refresh()");
      return { symbol, resolution, from, to, deleted: removed.length, written, changed: changes.length, changes: changes.slice(0, CHANGE_SAMPLE), engine };
    }));
    if (table === "market_candles" && engine === "timescale") {
      try {
        // The window's whole buckets: its hours, then the Vietnamese days holding them.
        const h0 = new Date(floorTo(from.getTime(), HOUR_MS));
        const h1 = new Date(ceilTo(to.getTime(), HOUR_MS));
        await conn.query("CALL refresh_continuous_aggregate('market_candles_1h', $1::timestamptz, $2::timestamptz)", [h0, h1]);
        const d0 = new Date(floorTo(from.getTime(), DAY_MS, VN_DAY_ORIGIN_MS));
        const d1 = new Date(ceilTo(to.getTime(), DAY_MS, VN_DAY_ORIGIN_MS));
        await conn.query("CALL refresh_continuous_aggregate('market_candles_1d_intraday', $1::timestamptz, $2::timestamptz)", [d0, d1]);
      } catch (error) {
        throw new CorrectionRefreshError(result, error as Error);
      }
    }
    return result;
  });
}

interface StoredBar {
  time: Date;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: string;
}

const values = (b: { open: number; high: number; low: number; close: number; volume: number | string }): OhlcvValues => ({
  open: b.open,
  high: b.high,
  low: b.low,
  close: b.close,
  volume: Number(b.volume),
});
const same = (a: OhlcvValues, b: OhlcvValues) =>
  a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;

/** The removed bars that the replacement does not give back with the same values, in time order. */
function correctionChanges(symbol: string, removed: readonly StoredBar[], replacement: readonly CandleRow[]): CandleChange[] {
  const after = new Map(replacement.map((r) => [r.time.getTime(), values(r)]));
  const changes: CandleChange[] = [];
  for (const old of removed) {
    const before = values(old);
    const now = after.get(old.time.getTime()) ?? null;
    if (now && same(before, now)) continue;
    changes.push({ symbol, time: old.time, before, after: now });
  }
  return changes.sort((a, b) => a.time.getTime() - b.time.getTime());
}

/** market_candle_changes rows for a correction's changes, in one statement. */
async function logChanges(conn: Queryable, resolution: CorrectionResolution, changes: readonly CandleChange[], userId: string | null): Promise<void> {
  if (changes.length === 0) return;
  const col = (pick: (c: CandleChange) => number | null) => changes.map(pick);
  await conn.query(
    `INSERT INTO market_candle_changes (symbol, time, resolution, old_open, old_high, old_low, old_close, old_volume,
                                        new_open, new_high, new_low, new_close, new_volume, source, user_id)
     SELECT $1, t, $2, oo, oh, ol, oc, ov, xo, xh, xl, xc, xv, 'correction', $14::uuid
       FROM unnest($3::timestamptz[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::bigint[],
                   $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::bigint[]) AS c(t, oo, oh, ol, oc, ov, xo, xh, xl, xc, xv)`,
    [
      changes[0]!.symbol,
      resolution,
      changes.map((c) => c.time.toISOString()),
      col((c) => c.before.open),
      col((c) => c.before.high),
      col((c) => c.before.low),
      col((c) => c.before.close),
      col((c) => c.before.volume),
      col((c) => c.after?.open ?? null),
      col((c) => c.after?.high ?? null),
      col((c) => c.after?.low ?? null),
      col((c) => c.after?.close ?? null),
      col((c) => c.after?.volume ?? null),
      userId,
    ],
  );
}

const instantText = (name: string) =>
  z.string({ error: `${name} is required (ISO 8601, a date, or epoch milliseconds)` }).transform((v, ctx) => {
    const parsed = parseInstant(v);
    if (!parsed) {
      ctx.addIssue({ code: "custom", message: `${name} ${JSON.stringify(v)} is not a date: give 2026-10-01 (00:00 in Vietnam), 2026-10-01 09:15, ISO 8601 or epoch milliseconds` });
      return z.NEVER;
    }
    return parsed;
  });

/**
 * A correction as text fields (the route's form or JSON, the CLI's flags): instants without a zone are
 * Vietnam time; `unit` is the unit of a replacement CSV's prices.
 */
export const correctionFieldsSchema = z.object({
  symbol: z.string({ error: "symbol is required" }),
  resolution: z.enum(CORRECTION_RESOLUTIONS, { error: `resolution must be one of: ${CORRECTION_RESOLUTIONS.join(", ")}` }),
  action: z.enum(CORRECTION_ACTIONS, { error: `action must be one of: ${CORRECTION_ACTIONS.join(", ")}` }),
  from: instantText("from"),
  to: instantText("to"),
  unit: z.enum(CSV_UNITS, { error: `unit must be one of: ${CSV_UNITS.join(", ")}` }).optional(),
});
export type CorrectionFields = z.output<typeof correctionFieldsSchema>;

/**
 * The replacement bars of a CSV file (lib/market/csv-import.ts's format). Any bad row refuses the
 * correction (CorrectionError with the problems): a correction is exact, there is no skipping.
 */
export function replacementBarsFromCsv(input: string | Buffer, fields: CorrectionFields): CandleRow[] {
  if (!fields.unit) throw new CorrectionError(`unit is required with a CSV file: one of ${CSV_UNITS.join(", ")}`);
  const parsed = parseCandleCsv(input, { symbol: fields.symbol.trim().toUpperCase(), unit: fields.unit, resolution: fields.resolution });
  const { problems } = parsed;
  if (problems.length > 0) {
    throw new CorrectionError(
      `Nothing was changed: ${problems.length} bad row${problems.length === 1 ? "" : "s"} in the file (` +
        problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`).join("; ") +
        (problems.length > 5 ? `; … and ${problems.length - 5} more` : "") +
        "); fix them and send the file again.",
      problems,
    );
  }
  return parsed.rows.map((r) => r.bar);
}
