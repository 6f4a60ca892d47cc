/**
 * The staging table of a CSV import (csv-import.ts): a temporary table of the import's transaction
 * (dropped at its end, seen by no other session) that takes the file's rows batch by batch, then one
 * upsert into the candle table. Until that statement, the candle tables are untouched: the unit check
 * still compares the file with what was stored before it, and a refusal rolls back only the staging.
 */
import pg from "pg";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import type { SqlConnection } from "@/db/migrate";
import { binaryCopyChunks } from "./copy-binary";
import { changeReportingUpsert, upsertAnswer, type CandleTable, type UpsertResult, type WriteOptions } from "./ingest";
import type { CandleRow } from "./types";

const STAGING = "csv_import_rows";
const COLUMNS = "time, symbol, open, high, low, close, volume";

/** Inside a transaction: the table lives until its COMMIT or ROLLBACK. */
export async function createStagingTable(conn: SqlConnection): Promise<void> {
  await conn.query(
    `CREATE TEMP TABLE ${STAGING} (time timestamptz NOT NULL, symbol text NOT NULL, open float8 NOT NULL, high float8 NOT NULL,
       low float8 NOT NULL, close float8 NOT NULL, volume bigint NOT NULL) ON COMMIT DROP`,
  );
}

/** Appends validated rows: a binary COPY on a pg connection, an unnest INSERT on anything else. */
export async function stageRows(conn: SqlConnection, rows: readonly CandleRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (conn instanceof pg.Client) {
    await pipeline(Readable.from(binaryCopyChunks(rows)), conn.query(copyFrom(`COPY ${STAGING} (${COLUMNS}) FROM STDIN (FORMAT binary)`)));
    return;
  }
  await conn.query(
    `INSERT INTO ${STAGING} (${COLUMNS})
     SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[])`,
    [rows.map((r) => r.time.toISOString()), rows.map((r) => r.symbol), rows.map((r) => r.open), rows.map((r) => r.high), rows.map((r) => r.low), rows.map((r) => r.close), rows.map((r) => r.volume)],
  );
}

/**
 * Upserts every staged row into the candle table (keyed by symbol and time, as ingest.ts's writes; the
 * file has one row per key, csv-import.ts refuses repeats), reporting and logging the stored bars it
 * replaces with different values (ingest.ts's changeReportingUpsert). For market_candles, `weeks`
 * (ingest.ts's weekStarts of the rows) get their partitions first, inside the same transaction, so a
 * rollback leaves no empty partition behind.
 */
export async function moveStagedRows(conn: SqlConnection, table: CandleTable, weeks: readonly string[], opts: WriteOptions = {}): Promise<UpsertResult> {
  if (table === "market_candles") await conn.query("SELECT market_candles_ensure_partitions($1::timestamptz[])", [weeks]);
  const { rows } = await conn.query(changeReportingUpsert(table, `SELECT ${COLUMNS} FROM ${STAGING}`, 1), [
    opts.source ?? "csv-import",
    opts.logChanges ?? true,
    opts.userId ?? null,
  ]);
  return upsertAnswer(rows);
}
