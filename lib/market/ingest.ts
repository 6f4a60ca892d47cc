/**
 * Writing candles: 1-minute bars into market_candles, end-of-day bars into market_candles_eod, and
 * keeping the 1h/1D rollups current. Works the same on the TimescaleDB and the native shape of
 * drizzle/0001_timeseries.*.sql.
 *
 * A batch is validated whole first (lib/market/candle-validation.ts) and written in one transaction:
 * one bad row, or a database error, stores nothing. Writes are upserts keyed by (symbol, time): the
 * same rows again change nothing; within one batch the last bar for a key wins (DNSE re-sends the
 * forming minute as it updates).
 */
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { SqlConnection, TimeSeriesEngine } from "@/db/migrate";
import { validateBatch } from "./candle-validation";
import { binaryCopyChunks } from "./copy-binary";
import type { CandleRow } from "./types";

export { CandleValidationError } from "./candle-validation";
export type { TimeSeriesEngine };

/** A pg.Pool, or a one-connection stand-in with the same connect()/release() (PGlite in tests). */
export interface ConnectionSource {
  connect(): Promise<SqlConnection & { release(): void }>;
}

export interface IngestResult {
  /** Rows inserted or changed; rows identical to what is stored are not counted. */
  written: number;
  /** "copy": no stored row overlapped, so the batch was COPYed; "upsert": INSERT … ON CONFLICT. */
  path: "copy" | "upsert";
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

function upsertSql(table: CandleTable): string {
  const conflict = table === "market_candles" ? "(time, symbol)" : "(symbol, time)";
  return `INSERT INTO ${table} AS t (${COLUMNS})
SELECT DISTINCT ON (time, symbol) ${COLUMNS}
  FROM unnest($1::timestamptz[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[])
       WITH ORDINALITY AS r(${COLUMNS}, ord)
 ORDER BY time, symbol, ord DESC
ON CONFLICT ${conflict} DO UPDATE
   SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume
 WHERE (t.open, t.high, t.low, t.close, t.volume)
       IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume)`;
}

/** INSERT … ON CONFLICT of validated rows, in chunks; resolves to the rows inserted or changed. */
export async function upsertRows(
  conn: SqlConnection,
  table: CandleTable,
  rows: readonly CandleRow[],
): Promise<number> {
  const sql = upsertSql(table);
  let written = 0;
  for (let start = 0; start < rows.length; start += UPSERT_CHUNK) {
    const part = rows.slice(start, start + UPSERT_CHUNK);
    const result = (await conn.query(sql, [
      part.map((r) => r.time.toISOString()),
      part.map((r) => r.symbol),
      part.map((r) => r.open),
      part.map((r) => r.high),
      part.map((r) => r.low),
      part.map((r) => r.close),
      part.map((r) => r.volume),
    ])) as { rowCount?: number | null; affectedRows?: number };
    written += result.rowCount ?? result.affectedRows ?? 0;
  }
  return written;
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
 * upserted. Throws CandleValidationError (nothing stored) when any row is invalid.
 */
export async function ingestCandles(db: ConnectionSource, input: readonly CandleRow[]): Promise<IngestResult> {
  const batch = validateBatch(input, "minute");
  if (batch.rows.length === 0) return { written: 0, path: "upsert" };
  return withConnection(db, async (conn) =>
    inTransaction(conn, async () => {
      // Inside the write transaction, so an import that fails or is killed half-way leaves no empty
      // partition behind: its rollback removes them. The price: while a batch that created a week is
      // written, a second ingest that needs another new week waits for it (ensure_partitions' lock),
      // and reads that cannot prune the default partition wait too (ATTACH locks it). New weeks are rare
      // (a backfill of history, or the first bar of a week).
      await conn.query("SELECT market_candles_ensure_partitions($1::timestamptz[])", [weekStarts(batch.rows)]);
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
            return { written, path: "copy" as const };
          } catch (error) {
            // A duplicate key inside the batch, or a concurrent writer: the upsert handles both.
            if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
            await conn.query("ROLLBACK TO SAVEPOINT ingest_copy");
          }
        }
      }
      return { written: await upsertRows(conn, "market_candles", batch.rows), path: "upsert" as const };
    }),
  );
}

/**
 * Upserts end-of-day bars (time = 00:00 in Vietnam of the trading day) into market_candles_eod.
 * market_candles_1d shows them wherever they exist (the official bar outranks 1-minute bars of its day). Throws CandleValidationError when any
 * row is invalid.
 */
export async function ingestDailyBars(db: ConnectionSource, input: readonly CandleRow[]): Promise<IngestResult> {
  const batch = validateBatch(input, "daily");
  if (batch.rows.length === 0) return { written: 0, path: "upsert" };
  return withConnection(db, (conn) =>
    inTransaction(conn, async () => ({ written: await upsertRows(conn, "market_candles_eod", batch.rows), path: "upsert" as const })),
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
