/**
 * Writing candles: 1-minute bars into market_candles, end-of-day bars into market_candles_eod, and
 * keeping the 1h/1D rollups current. Works the same on the TimescaleDB and the native shape of
 * drizzle/0001_timeseries.*.sql.
 *
 * A batch is validated whole first (lib/market/candle-validation.ts), checked against the sanity
 * bounds (bar-bounds.ts: plausible range, a stock's daily limits) inside its write transaction, and
 * written in that one transaction: one bad row, one bar outside bounds, or a database error stores
 * nothing. A stored bar replaced by different values is a change: counted, sampled in the result, and
 * logged in market_candle_changes by the upsert statement itself (set-based). Writes are upserts keyed by (symbol, time): the
 * same rows again change nothing; within one batch the last bar for a key wins (DNSE re-sends the
 * forming minute as it updates).
 */
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { SqlConnection, TimeSeriesEngine } from "@/db/migrate";
import { checkBarBounds } from "./bar-bounds";
import { validateBatch } from "./candle-validation";
import { binaryCopyChunks } from "./copy-binary";
import { withWeekPartitions } from "./partitions";
import type { CandleRow } from "./types";

export { CandleValidationError } from "./candle-validation";
export { BarBoundsError } from "./bar-bounds";
export type { TimeSeriesEngine };

/** A pg.Pool, or a one-connection stand-in with the same connect()/release() (PGlite in tests). */
export interface ConnectionSource {
  connect(): Promise<SqlConnection & { release(): void }>;
}

export type ChangeSource = "csv-import" | "backfill" | "correction" | "live-feed" | "ingest";

/** Who writes, for market_candle_changes. */
export interface WriteOptions {
  source?: ChangeSource;
  userId?: string | null;
  /** Log replaced bars in market_candle_changes (default true; the live feed re-sends its forming minute). */
  logChanges?: boolean;
}

export interface OhlcvValues {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A stored bar whose values a write changed; `after` is null when a correction removed it. */
export interface CandleChange {
  symbol: string;
  time: Date;
  before: OhlcvValues;
  after: OhlcvValues | null;
}

/** The first changes of a write, in time order, are kept as a sample. */
export const CHANGE_SAMPLE = 20;

export interface IngestResult {
  /** Rows inserted or changed; rows identical to what is stored are not counted. */
  written: number;
  /** "copy": no stored row overlapped, so the batch was COPYed; "upsert": INSERT … ON CONFLICT. */
  path: "copy" | "upsert";
  /** Stored bars replaced by different values. */
  changed: number;
  /** Up to CHANGE_SAMPLE of them, before → after. */
  changes: CandleChange[];
}

export interface UpsertResult {
  written: number;
  changed: number;
  changes: CandleChange[];
}

const UPSERT_CHUNK = 10_000;
const UNIQUE_VIOLATION = "23505";

const COLUMNS = "time, symbol, open, high, low, close, volume";
export type CandleTable = "market_candles" | "market_candles_eod";

/** COPY validated rows into a table (binary format) on a pg client; resolves to the rows copied. */
export async function copyRows(client: pg.ClientBase, table: CandleTable, rows: readonly CandleRow[]): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${COLUMNS}) FROM STDIN (FORMAT binary)`));
  await pipeline(Readable.from(binaryCopyChunks(rows)), stream);
  return stream.rowCount;
}

/**
 * The upsert, and in the same statement the stored values it replaced: `old` reads the table before the
 * INSERT (every part of one statement sees the same snapshot), `up` returns the rows it inserted or
 * changed, their join is the changes, logged when asked. One extra index probe per overlapping row.
 */
function upsertSql(table: CandleTable): string {
  return changeReportingUpsert(
    table,
    `SELECT DISTINCT ON (time, symbol) ${COLUMNS}
    FROM unnest($1::timestamptz[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[])
         WITH ORDINALITY AS r(${COLUMNS}, ord)
   ORDER BY time, symbol, ord DESC`,
    8,
  );
}

/**
 * The upsert of `input` (a SELECT of time, symbol, open, high, low, close, volume, one row per key) into
 * `table`, reporting the changes; parameters $first, $first + 1, $first + 2 are the source, whether to
 * log, and the user id. Answers one row: written, changed, sample (JSON).
 */
export function changeReportingUpsert(table: CandleTable, input: string, first: number): string {
  const conflict = table === "market_candles" ? "(time, symbol)" : "(symbol, time)";
  const resolution = table === "market_candles" ? "1m" : "1D";
  const [source, log, user] = [`$${first}`, `$${first + 1}`, `$${first + 2}`];
  return `WITH input AS (
  ${input}),
old AS (
  SELECT t.time, t.symbol, t.open, t.high, t.low, t.close, t.volume
    FROM ${table} t JOIN input i ON t.symbol = i.symbol AND t.time = i.time),
up AS (
  INSERT INTO ${table} AS t (${COLUMNS})
  SELECT ${COLUMNS} FROM input
  ON CONFLICT ${conflict} DO UPDATE
     SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume
   WHERE (t.open, t.high, t.low, t.close, t.volume)
         IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume)
  RETURNING t.time, t.symbol, t.open, t.high, t.low, t.close, t.volume),
changed AS (
  SELECT o.symbol, o.time, o.open AS old_open, o.high AS old_high, o.low AS old_low, o.close AS old_close, o.volume AS old_volume,
         u.open AS new_open, u.high AS new_high, u.low AS new_low, u.close AS new_close, u.volume AS new_volume
    FROM up u JOIN old o ON o.symbol = u.symbol AND o.time = u.time),
logged AS (
  INSERT INTO market_candle_changes (symbol, time, resolution, old_open, old_high, old_low, old_close, old_volume,
                                     new_open, new_high, new_low, new_close, new_volume, source, user_id)
  SELECT symbol, time, '${resolution}', old_open, old_high, old_low, old_close, old_volume,
         new_open, new_high, new_low, new_close, new_volume, ${source}, ${user}::uuid
    FROM changed WHERE ${log}::boolean
  RETURNING 1)
SELECT (SELECT count(*) FROM up)::int AS written, (SELECT count(*) FROM changed)::int AS changed,
       (SELECT json_agg(s ORDER BY s.time, s.symbol)
          FROM (SELECT * FROM changed ORDER BY time, symbol LIMIT ${CHANGE_SAMPLE}) s) AS sample`;
}

/** The answer row of changeReportingUpsert. */
export function upsertAnswer(rows: readonly Record<string, unknown>[]): UpsertResult {
  const a = rows[0] as { written: number; changed: number; sample: ChangeJson[] | null };
  return { written: a.written, changed: a.changed, changes: (a.sample ?? []).map(fromJson) };
}

interface ChangeJson {
  symbol: string;
  time: string;
  old_open: number;
  old_high: number;
  old_low: number;
  old_close: number;
  old_volume: number;
  new_open: number;
  new_high: number;
  new_low: number;
  new_close: number;
  new_volume: number;
}

const fromJson = (c: ChangeJson): CandleChange => ({
  symbol: c.symbol,
  time: new Date(c.time),
  before: { open: c.old_open, high: c.old_high, low: c.old_low, close: c.old_close, volume: Number(c.old_volume) },
  after: { open: c.new_open, high: c.new_high, low: c.new_low, close: c.new_close, volume: Number(c.new_volume) },
});

/**
 * INSERT … ON CONFLICT of validated rows, in chunks: the rows inserted or changed, and the stored bars
 * replaced by different values (counted, sampled, logged unless opts.logChanges is false).
 */
export async function upsertRows(
  conn: SqlConnection,
  table: CandleTable,
  rows: readonly CandleRow[],
  opts: WriteOptions = {},
): Promise<UpsertResult> {
  const sql = upsertSql(table);
  const result: UpsertResult = { written: 0, changed: 0, changes: [] };
  for (let start = 0; start < rows.length; start += UPSERT_CHUNK) {
    const part = rows.slice(start, start + UPSERT_CHUNK);
    const { rows: answer } = await conn.query(sql, [
      part.map((r) => r.time.toISOString()),
      part.map((r) => r.symbol),
      part.map((r) => r.open),
      part.map((r) => r.high),
      part.map((r) => r.low),
      part.map((r) => r.close),
      part.map((r) => r.volume),
      opts.source ?? "ingest",
      opts.logChanges ?? true,
      opts.userId ?? null,
    ]);
    const a = upsertAnswer(answer);
    result.written += a.written;
    result.changed += a.changed;
    result.changes.push(...a.changes.slice(0, CHANGE_SAMPLE - result.changes.length));
  }
  return result;
}

export async function inTransaction<T>(conn: SqlConnection, work: () => Promise<T>): Promise<T> {
  await conn.query("BEGIN");
  try {
    const result = await work();
    await conn.query("COMMIT");
    return result;
  } catch (error) {
    await conn.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

export async function withConnection<T>(db: ConnectionSource, work: (conn: SqlConnection & { release(): void }) => Promise<T>) {
  const conn = await db.connect();
  try {
    return await work(conn);
  } finally {
    conn.release();
  }
}

/**
 * Upserts 1-minute bars. A batch that overlaps nothing stored (the usual append, or a first load) is
 * COPYed straight into market_candles; otherwise, or if a concurrent writer gets there first, it is
 * upserted. Throws CandleValidationError (nothing stored) when any row is invalid, BarBoundsError (a
 * CandleValidationError too) when any bar is outside the sanity bounds.
 */
export async function ingestCandles(db: ConnectionSource, input: readonly CandleRow[], opts: WriteOptions = {}): Promise<IngestResult> {
  const batch = validateBatch(input, "minute");
  if (batch.rows.length === 0) return { written: 0, path: "upsert", changed: 0, changes: [] };
  // The batch's new weeks are made before its transaction, each briefly (partitions.ts: made inside
  // it, the default partition's lock would hold up the readers for the whole write).
  return withConnection(db, (conn) =>
    withWeekPartitions(conn, weekStarts(batch.rows), () =>
      inTransaction(conn, async () => {
        await checkBarBounds(conn, batch.rows, "minute");
        if (conn instanceof pg.Client) {
          const { rows } = await conn.query(
            `SELECT EXISTS (SELECT 1 FROM market_candles
                             WHERE symbol = ANY($1::text[]) AND time >= $2 AND time <= $3) AS overlap`,
            [batch.symbols, batch.minTime, batch.maxTime],
          );
          if (!rows[0]?.overlap) {
            await conn.query("SAVEPOINT ingest_copy");
            try {
              const written = await copyRows(conn, "market_candles", batch.rows);
              await conn.query("RELEASE SAVEPOINT ingest_copy");
              return { written, path: "copy" as const, changed: 0, changes: [] };
            } catch (error) {
              // A duplicate key inside the batch, or a concurrent writer: the upsert handles both.
              if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
              await conn.query("ROLLBACK TO SAVEPOINT ingest_copy");
            }
          }
        }
        return { ...(await upsertRows(conn, "market_candles", batch.rows, opts)), path: "upsert" as const };
      }),
    ),
  );
}

/**
 * Upserts end-of-day bars (time = 00:00 in Vietnam of the trading day) into market_candles_eod.
 * market_candles_1d shows them wherever they exist (the official bar outranks 1-minute bars of its day). Throws CandleValidationError when any
 * row is invalid.
 */
export async function ingestDailyBars(db: ConnectionSource, input: readonly CandleRow[], opts: WriteOptions = {}): Promise<IngestResult> {
  const batch = validateBatch(input, "daily");
  if (batch.rows.length === 0) return { written: 0, path: "upsert", changed: 0, changes: [] };
  return withConnection(db, (conn) =>
    inTransaction(conn, async () => {
      await checkBarBounds(conn, batch.rows, "daily");
      return { ...(await upsertRows(conn, "market_candles_eod", batch.rows, opts)), path: "upsert" as const };
    }),
  );
}

export interface RefreshResult {
  engine: TimeSeriesEngine;
  /** Native only: hourly rows (re)materialised. Timescale does not say. */
  hourlyRowsWritten?: number;
}

/**
 * Brings market_candles_1h and market_candles_1d up to date: materialises complete hours and
 * re-aggregates the hours that backfills, updates and deletes touched. Reads are correct without it
 * for new data (real-time aggregation), but rows changed below the last refresh show only after it,
 * as with TimescaleDB. Run it after an ingest, on its own connection (not inside a transaction).
 */
export async function refreshAggregates(db: ConnectionSource): Promise<RefreshResult> {
  return withConnection(db, async (conn) => {
    const { rows } = await conn.query("SELECT market_timeseries_engine() AS engine");
    const engine = rows[0]?.engine as TimeSeriesEngine;
    if (engine === "timescale") {
      // Procedures that cannot run in a transaction block; NULL, NULL = every invalidated range.
      await conn.query("CALL refresh_continuous_aggregate('market_candles_1h', NULL, NULL)");
      await conn.query("CALL refresh_continuous_aggregate('market_candles_1d_intraday', NULL, NULL)");
      return { engine };
    }
    const result = await conn.query("SELECT market_candles_1h_refresh() AS written");
    return { engine, hourlyRowsWritten: Number(result.rows[0]?.written ?? 0) };
  });
}

const WEEK_MS = 7 * 86_400_000;
/** 2000-01-03, a Monday: the partitions' weekly origin. */
const WEEK_ORIGIN = Date.UTC(2000, 0, 3);

/** One instant per week the rows fall in (the partition function buckets them again). */
export function weekStarts(rows: readonly CandleRow[]): string[] {
  const weeks = new Set<number>();
  for (const r of rows) weeks.add(Math.floor((r.time.getTime() - WEEK_ORIGIN) / WEEK_MS));
  return [...weeks].map((w) => new Date(WEEK_ORIGIN + w * WEEK_MS).toISOString());
}
