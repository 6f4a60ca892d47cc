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
import { inTransaction, upsertRows, weekStarts, withConnection, type CandleTable, type ConnectionSource, type TimeSeriesEngine } from "./ingest";
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
export async function correctCandles(db: ConnectionSource & Queryable, input: CorrectionInput): Promise<CorrectionResult> {
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
    // Outside the transaction, as in ingestCandles: an empty partition left by a rollback is harmless.
    if (table === "market_candles" && rows.length) await conn.query("SELECT market_candles_ensure_partitions($1::timestamptz[])", [weekStarts(rows)]);
    const result = await inTransaction(conn, async () => {
      const removed = (await conn.query(`DELETE FROM ${table} WHERE symbol = $1 AND time >= $2 AND time < $3`, [symbol, from, to])) as {
        rowCount?: number | null;
        affectedRows?: number;
      };
      const written = rows.length ? await upsertRows(conn, table, rows) : 0;
      // The invalidations the delete and the insert left are taken in; the 1D view reads the hours.
      if (table === "market_candles" && engine === "native") await conn.query("SELECT market_candles_1h_refresh()");
      return { symbol, resolution, from, to, deleted: removed.rowCount ?? removed.affectedRows ?? 0, written, engine };
    });
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
