/**
 * The weekly partitions of market_candles (native shape, drizzle/0001_timeseries.native.sql): creating
 * them outside the writers' transactions, and dropping the ones left empty.
 *
 * Why outside: market_candles_ensure_partitions() attaches a week's partition with ATTACH PARTITION,
 * which takes an ACCESS EXCLUSIVE lock on market_candles_default (it must prove the default holds no
 * row of that week), held until the transaction ends. Every read whose time range reaches a week
 * without a partition, or is open below (`time < x`: hasMore, the last close), cannot prune the default
 * partition and waits on that lock. Made inside an import's transaction, the lock was held for the
 * whole write and the charts of every user stalled with it (issue 9, item 4; sampled during
 * bench:import: every waiting reader wanted ACCESS SHARE on market_candles_default, held by the import).
 * So writers make their weeks here first, one week per transaction of a few milliseconds, with a
 * lock_timeout (a long read then delays the week, not the reads queued behind the week's lock), and
 * write afterwards in their own transaction.
 *
 * The price: a writer that fails after making its weeks would leave them empty. It drops them again
 * (dropEmptyPastPartitions), and a writer killed in between leaves them to the periodic maintenance
 * (maintainPartitions, run by the rollup refresh schedule), which drops every empty partition of a
 * week that is over. A writer holds WRITERS_LOCK (a shared advisory lock) from making its weeks until
 * its write has ended, and a drop takes it exclusively, or skips: no partition is dropped between its
 * creation and the write it was made for (the rows would land in the default partition).
 *
 * The current week and the next AHEAD_WEEKS are made ahead by the migration and by maintenance, so the
 * live feed's writes find their week; they are never dropped, nor is a partition holding a row.
 * On the TimescaleDB shape chunks come and go with the rows' own transaction: nothing to do here.
 */
import type { SqlConnection } from "@/db/migrate";
import type { ConnectionSource } from "./ingest";

/** pg_advisory_lock key: writers hold it shared from making their weeks until their write ends; drops take it exclusively. */
const WRITERS_LOCK = 7_204_815_010;
/** How long one week's creation, or one batch of drops, waits for a lock before it lets the readers queued behind it go. */
export const PARTITION_LOCK_TIMEOUT_MS = 200;
/** How long a writer keeps trying to make a week (readers holding the default partition) before it gives up. */
export const PARTITION_CREATE_DEADLINE_MS = 30_000;
/** Weeks after the current one that maintenance keeps made ahead (the migration makes the same). */
export const AHEAD_WEEKS = 4;
/** Partitions dropped per transaction: each holds market_candles' ACCESS EXCLUSIVE lock for about a millisecond. */
const DROPS_PER_TRANSACTION = 20;

const WEEK_MS = 7 * 86_400_000;
/** 2000-01-03, a Monday: the partitions' weekly origin (ensure_partitions' date_bin). */
const WEEK_ORIGIN = Date.UTC(2000, 0, 3);
const PARTITION_NAME = /^market_candles_p(\d{4})(\d{2})(\d{2})$/;

/** SQLSTATEs worth a retry: lock_timeout fired, or a deadlock with a reader was broken. */
const LOCK_NOT_AVAILABLE = "55P03";
const DEADLOCK = "40P01";
const isLockConflict = (error: unknown) => [LOCK_NOT_AVAILABLE, DEADLOCK].includes((error as { code?: string }).code ?? "");

/** The week (its Monday 00:00 UTC) an instant is in. */
export function weekOf(instant: Date): Date {
  return new Date(WEEK_ORIGIN + Math.floor((instant.getTime() - WEEK_ORIGIN) / WEEK_MS) * WEEK_MS);
}

/** ensure_partitions' name for the week starting at `week`: market_candles_pYYYYMMDD (UTC). */
export function partitionName(week: Date): string {
  return `market_candles_p${week.toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/** The week a partition name stands for; undefined for any other table (the default partition). */
export function weekOfPartition(name: string): Date | undefined {
  const m = PARTITION_NAME.exec(name);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
}

/** A writer could not make its weeks within PARTITION_CREATE_DEADLINE_MS: nothing was written. */
export class PartitionBusyError extends Error {
  constructor(week: string) {
    super(`The candle table stayed busy for ${PARTITION_CREATE_DEADLINE_MS / 1000} s while making the week of ${week}; nothing was written. Try again.`);
    this.name = "PartitionBusyError";
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One statement in a transaction of its own whose lock waits end after PARTITION_LOCK_TIMEOUT_MS (55P03). */
async function briefly<T>(conn: SqlConnection, work: () => Promise<T>): Promise<T> {
  await conn.query("BEGIN");
  try {
    await conn.query(`SET LOCAL lock_timeout = '${PARTITION_LOCK_TIMEOUT_MS}ms'`);
    const result = await work();
    await conn.query("COMMIT");
    return result;
  } catch (error) {
    await conn.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/**
 * Makes the partitions of the weeks holding `instants` that do not exist yet, each in its own brief
 * transaction, pushing the name of each one this call made onto `created` as it commits (so a caller
 * that fails half-way knows them). `conn` must not be inside a transaction. Throws PartitionBusyError
 * when a week cannot get its locks within PARTITION_CREATE_DEADLINE_MS.
 */
export async function createWeekPartitions(conn: SqlConnection, instants: readonly (Date | string)[], created: string[] = []): Promise<string[]> {
  if (instants.length === 0) return created;
  const weeks = [...new Set(instants.map((i) => weekOf(new Date(i)).getTime()))].sort((a, b) => a - b).map((w) => new Date(w));
  // One catalog look-up, no lock: most writes find every week made (the live feed, a re-import).
  const { rows } = await conn.query(
    `SELECT market_timeseries_engine() AS engine,
            ARRAY(SELECT n FROM unnest($1::text[]) AS n WHERE to_regclass(quote_ident(n)) IS NULL) AS missing`,
    [weeks.map(partitionName)],
  );
  if (rows[0]?.engine !== "native") return created;
  const missing = new Set(rows[0]?.missing as string[]);
  for (const week of weeks) {
    if (!missing.has(partitionName(week))) continue;
    const deadline = Date.now() + PARTITION_CREATE_DEADLINE_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        const made = await briefly(conn, async () =>
          Number((await conn.query("SELECT market_candles_ensure_partitions(ARRAY[$1::timestamptz]) AS n", [week.toISOString()])).rows[0]?.n),
        );
        if (made > 0) created.push(partitionName(week));
        break;
      } catch (error) {
        if (!isLockConflict(error)) throw error;
        if (Date.now() > deadline) throw new PartitionBusyError(week.toISOString().slice(0, 10));
        // Let the reads queued behind the week's lock request through, then ask again.
        await pause(Math.min(1_000, 25 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
      }
    }
  }
  return created;
}

/**
 * Makes the weeks of `instants` (createWeekPartitions), then runs `write` (which opens its own
 * transaction on `conn`); if `write` fails, drops again the partitions made here that are still empty.
 * WRITERS_LOCK is held shared on `conn` meanwhile, so maintenance does not drop them in between.
 */
export async function withWeekPartitions<T>(conn: SqlConnection, instants: readonly (Date | string)[], write: () => Promise<T>): Promise<T> {
  await conn.query("SELECT pg_advisory_lock_shared($1)", [WRITERS_LOCK]);
  const created: string[] = [];
  try {
    await createWeekPartitions(conn, instants, created);
    return await write();
  } catch (error) {
    // Best effort: another writer in flight, or a lost connection, leaves them to maintenance.
    if (created.length > 0) await dropEmptyPastPartitions(conn, created).catch(() => {});
    throw error;
  } finally {
    await conn.query("SELECT pg_advisory_unlock_shared($1)", [WRITERS_LOCK]).catch(() => {});
  }
}

export interface DropResult {
  dropped: string[];
  /** Set when the drops were skipped (a writer in flight, or readers holding market_candles past the lock timeout). */
  skipped?: string;
}

/**
 * Drops those of the named partitions that exist, hold no row and whose week is over before the
 * current week began (`now`'s); never the default partition, a current or future week, or a non-empty
 * one. Each batch takes market_candles' ACCESS EXCLUSIVE lock (dropping a partition does) with
 * PARTITION_LOCK_TIMEOUT_MS to wait: readers wait at most that long, then the batch is skipped.
 * Skipped as well while any writer holds WRITERS_LOCK (besides `conn`'s own session).
 */
export async function dropEmptyPastPartitions(conn: SqlConnection, names: readonly string[], now = new Date()): Promise<DropResult> {
  const currentWeek = weekOf(now).getTime();
  const past = names.filter((n) => {
    const week = weekOfPartition(n);
    return week !== undefined && week.getTime() + WEEK_MS <= currentWeek;
  });
  const dropped: string[] = [];
  for (let start = 0; start < past.length; start += DROPS_PER_TRANSACTION) {
    const batch = past.slice(start, start + DROPS_PER_TRANSACTION);
    let outcome: { dropped: string[] } | { skipped: string };
    try {
      outcome = await briefly(conn, async () => {
        const { rows } = await conn.query("SELECT pg_try_advisory_xact_lock($1) AS free", [WRITERS_LOCK]);
        if (!rows[0]?.free) return { skipped: "a writer is making or filling partitions" };
        // The parent first, as DROP would take it: readers lock parent then partition, so do we.
        await conn.query("LOCK TABLE market_candles IN ACCESS EXCLUSIVE MODE");
        // Under the lock no write is in flight: what is empty now stays empty until the drops commit.
        const { rows: present } = await conn.query(
          `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'market_candles'::regclass AND c.relname = ANY($1::text[])`,
          [batch],
        );
        const gone: string[] = [];
        for (const { name } of present as { name: string }[]) {
          const { rows: probe } = await conn.query(`SELECT EXISTS (SELECT 1 FROM ONLY "${name}") AS found`);
          if (probe[0]?.found) continue;
          await conn.query(`DROP TABLE "${name}"`);
          gone.push(name);
        }
        return { dropped: gone };
      });
    } catch (error) {
      if (!isLockConflict(error)) throw error;
      return { dropped, skipped: `market_candles was busy for more than ${PARTITION_LOCK_TIMEOUT_MS} ms` };
    }
    if ("skipped" in outcome) return { dropped, skipped: outcome.skipped };
    dropped.push(...outcome.dropped);
  }
  return { dropped };
}

export interface PartitionMaintenance {
  /** Partitions made ahead (the current week and the next AHEAD_WEEKS). */
  created: string[];
  /** Rows moved out of the default partition into their week's new partition. */
  rehomed: number;
  /** Empty partitions of past weeks dropped. */
  dropped: string[];
  skipped?: string;
}

/**
 * The periodic step (the rollup refresh schedule runs it): makes the weeks ahead, moves rows a writer
 * put in the default partition into their weeks' partitions (keeping the default empty), and drops
 * the empty partitions of past weeks, e.g. those a killed import made. Native shape only.
 */
export async function maintainPartitions(db: ConnectionSource, now = new Date()): Promise<PartitionMaintenance> {
  const conn = await db.connect();
  try {
    const { rows: engine } = await conn.query("SELECT market_timeseries_engine() AS engine");
    if (engine[0]?.engine !== "native") return { created: [], rehomed: 0, dropped: [] };
    const week = weekOf(now).getTime();
    const ahead = Array.from({ length: AHEAD_WEEKS + 1 }, (_, i) => new Date(week + i * WEEK_MS));
    const created = await createWeekPartitions(conn, ahead);
    const { rows: stray } = await conn.query(
      "SELECT count(*)::int AS n, array_agg(DISTINCT date_bin('7 days', time, '2000-01-03 00:00+00')) AS weeks FROM market_candles_default",
    );
    const rehomed = Number(stray[0]?.n ?? 0);
    if (rehomed > 0) created.push(...(await createWeekPartitions(conn, stray[0]!.weeks as Date[])));
    const { rows: candidates } = await conn.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'market_candles'::regclass AND c.relname ~ '^market_candles_p[0-9]{8}$'
          AND to_date(substr(c.relname, 17), 'YYYYMMDD') + 7 <= ($1::timestamptz AT TIME ZONE 'UTC')::date`,
      [new Date(week)],
    );
    const names = (candidates as { name: string }[]).map((c) => c.name);
    const empty: string[] = [];
    // Which are empty, without locking more than ACCESS SHARE: one probe per partition, in one statement per 200.
    for (let start = 0; start < names.length; start += 200) {
      const part = names.slice(start, start + 200);
      const probes = part.map((n, i) => `SELECT $${i + 1}::text AS name WHERE NOT EXISTS (SELECT 1 FROM ONLY "${n}")`).join(" UNION ALL ");
      const { rows } = await conn.query(probes, part);
      empty.push(...(rows as { name: string }[]).map((r) => r.name));
    }
    const { dropped, skipped } = await dropEmptyPastPartitions(conn, empty, now);
    return { created, rehomed, dropped, ...(skipped ? { skipped } : {}) };
  } finally {
    conn.release();
  }
}
