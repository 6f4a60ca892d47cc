/**
 * The staging table of a CSV import (csv-import.ts): a temporary table of the import's connection
 * (seen by no other session, gone with the session if the process dies) that takes the file's rows
 * batch by batch, then one upsert into the candle table in a transaction of its own. Until that
 * statement the candle tables are untouched: the unit check still compares the file with what was
 * stored before it, and a refusal leaves nothing but the staging, which the import drops.
 *
 * Not a table of one transaction spanning the whole import (ON COMMIT DROP) any more: the weeks a
 * file needs are known only once it is read, and their partitions must be made in transactions of
 * their own before the write (partitions.ts), which one connection cannot do inside another.
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

/** On the import's connection, outside a transaction; a staging table left by an earlier import on it is replaced. */
export async function createStagingTable(conn: SqlConnection): Promise<void> {
  await conn.query(`DROP TABLE IF EXISTS pg_temp.${STAGING}`);
  await conn.query(
    `CREATE TEMP TABLE ${STAGING} (time timestamptz NOT NULL, symbol text NOT NULL, open float8 NOT NULL, high float8 NOT NULL,
       low float8 NOT NULL, close float8 NOT NULL, volume bigint NOT NULL)`,
  );
}

/** Once the import is over, whatever its outcome (the pooled connection outlives it). */
export async function dropStagingTable(conn: SqlConnection): Promise<void> {
  await conn.query(`DROP TABLE IF EXISTS pg_temp.${STAGING}`);
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
 * replaces with different values (ingest.ts's changeReportingUpsert). For market_candles, the rows'
 * weeks must have their partitions already (partitions.ts's withWeekPartitions around the call).
 */
export async function moveStagedRows(conn: SqlConnection, table: CandleTable, opts: WriteOptions = {}): Promise<UpsertResult> {
  const { rows } = await conn.query(changeReportingUpsert(table, `SELECT ${COLUMNS} FROM ${STAGING}`, 1), [
    opts.source ?? "csv-import",
    opts.logChanges ?? true,
    opts.userId ?? null,
  ]);
  return upsertAnswer(rows);
}
