/**
 * The weekly partitions of market_candles against the real PostgreSQL, on a database of this file's own
 * (maintenance drops every empty past partition it finds): writers make their weeks outside their
 * write transaction, so readers never wait on the default partition's lock for a whole import; a
 * failed writer drops the weeks it made, and maintenance drops what a killed one left, never a current,
 * future or non-empty week.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { queryCandles } from "./candles";
import { importCandleCsv } from "./csv-import";
import { BarBoundsError, ingestCandles, type ConnectionSource } from "./ingest";
import { AHEAD_WEEKS, createWeekPartitions, maintainPartitions, partitionName, weekOf, withWeekPartitions } from "./partitions";
import type { Queryable } from "./queryable";

const db = scratchDatabaseForFile("partitions");
const WEEK_MS = 7 * 86_400_000;
const LOCK_NOT_AVAILABLE = "55P03";

beforeAll(async () => {
  await db.pool.query("INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel')");
});

const exists = async (name: string) => (await db.pool.query("SELECT to_regclass($1) IS NOT NULL AS e", [name])).rows[0].e as boolean;
const partitions = async () =>
  (await db.pool.query("SELECT c.relname AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'market_candles'::regclass ORDER BY 1")).rows.map(
    (r) => r.n as string,
  );

/** A CSV of `days` weekdays of HPG 1-minute bars (09:15–09:44) from `monday`, flat enough for the bounds. */
function minuteCsv(monday: string, days: number): string {
  const lines = ["timestamp,open,high,low,close,volume"];
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.parse(monday) + d * 86_400_000).toISOString().slice(0, 10);
    for (let m = 15; m < 45; m++) lines.push(`${date} 09:${m},25000,25050,24950,25000,100`);
  }
  return lines.join("\n") + "\n";
}

/**
 * The pool with its connections' queries watched: `onQuery` may throw (the statement fails) or return a
 * promise to wait on after the statement ran (its transaction then stays open until it settles).
 */
function watchedPool(pool: pg.Pool, onQuery: (sql: string) => Promise<void> | undefined): ConnectionSource & Queryable {
  return {
    query: (sql: string, params?: unknown[]) => pool.query(sql, params),
    async connect() {
      const client = await pool.connect();
      const query = client.query;
      const release = client.release;
      // Synchronous for anything but a watched statement: a COPY's query() returns its stream.
      client.query = ((...args: unknown[]) => {
        const wait = typeof args[0] === "string" ? onQuery(args[0]) : undefined;
        const result = (query as (...a: unknown[]) => unknown).apply(client, args);
        return wait ? (result as Promise<unknown>).then(async (r) => (await wait, r)) : result;
      }) as pg.PoolClient["query"];
      client.release = (error?: Error | boolean) => {
        client.query = query;
        client.release = release;
        release.call(client, error);
      };
      return client;
    },
  };
}

/** A reader's session that gives up on any lock after 200 ms (SQLSTATE 55P03) instead of waiting. */
async function impatientReader(): Promise<pg.Client> {
  const reader = new pg.Client({ connectionString: db.url });
  await reader.connect();
  await reader.query("SET lock_timeout = '200ms'");
  return reader;
}

/** What the chart's reads do: 1D (the bench's request), 1m and an open-ended hasMore, none of which can prune the default partition here. */
async function readLikeTheCharts(reader: pg.Client) {
  await queryCandles(reader, { symbol: "HPG", resolution: "1D", limit: 50 });
  await queryCandles(reader, { symbol: "HPG", resolution: "1m", limit: 500 });
  await reader.query("SELECT market_candles_exist_before('HPG', now(), false)");
}

describe("a failing writer", () => {
  it("drops the weeks a CSV import made when its write fails", async () => {
    const before = await partitions();
    const failing = watchedPool(db.pool, (sql) => {
      if (sql.includes("WITH input AS")) throw new Error("the write failed (simulated)");
      return undefined;
    });
    await expect(
      importCandleCsv(failing, minuteCsv("2016-03-07", 8), { symbol: "HPG", unit: "VND", resolution: "1m", skipBadRows: false, confirmWarnings: true }),
    ).rejects.toThrow("the write failed");
    expect(await partitions()).toEqual(before);
    expect(await exists("market_candles_p20160307")).toBe(false);
    expect(await exists("market_candles_p20160314")).toBe(false);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM market_candles WHERE symbol = 'HPG'")).rows[0].n).toBe(0);
  });

  it("drops the week an ingest made when its bars are refused by the sanity bounds", async () => {
    const before = await partitions();
    const rows = Array.from({ length: 5 }, (_, i) => ({ time: new Date(Date.parse("2016-05-04T02:00:00Z") + i * 60_000), symbol: "HPG", open: 2e7, high: 2e7, low: 2e7, close: 2e7, volume: 1 }));
    await expect(ingestCandles(db.pool, rows)).rejects.toBeInstanceOf(BarBoundsError);
    expect(await partitions()).toEqual(before);
  });

  it("makes no week at all for a file the bounds refuse (they are checked first)", async () => {
    const before = await partitions();
    const csv = "timestamp,open,high,low,close,volume\n2016-06-06 09:15,25000,25050,24950,25000,100\n2016-06-07 09:15,99000,99000,99000,99000,100\n";
    await expect(importCandleCsv(db.pool, csv, { symbol: "HPG", unit: "VND", resolution: "1m", skipBadRows: false, confirmWarnings: true })).rejects.toThrow(
      /outside the sanity bounds/,
    );
    expect(await partitions()).toEqual(before);
  });
});

describe("partition maintenance", () => {
  it("drops the empty past weeks a killed writer left, and keeps current, future and non-empty weeks", async () => {
    const now = new Date();
    const current = weekOf(now);
    // A killed writer: its weeks made, its write transaction aborted, no cleanup.
    const conn = await db.pool.connect();
    let killed: string[];
    try {
      killed = await createWeekPartitions(conn, ["2015-03-04T02:00:00Z", "2015-03-11T02:00:00Z"]);
      await conn.query("BEGIN");
      await conn.query("INSERT INTO market_candles VALUES ('2015-03-04T02:00:00Z', 'HPG', 1, 1, 1, 1, 1), ('2015-03-11T02:00:00Z', 'HPG', 1, 1, 1, 1, 1)");
      await conn.query("ROLLBACK");
    } finally {
      conn.release();
    }
    expect(killed).toEqual(["market_candles_p20150302", "market_candles_p20150309"]);
    // A past week with a bar, and an empty week far ahead.
    await ingestCandles(db.pool, [{ time: new Date("2015-04-01T02:00:00Z"), symbol: "HPG", open: 25_000, high: 25_000, low: 25_000, close: 25_000, volume: 10 }]);
    const future = partitionName(new Date(current.getTime() + 20 * WEEK_MS));
    const futureConn = await db.pool.connect();
    await createWeekPartitions(futureConn, [new Date(current.getTime() + 20 * WEEK_MS + 3_600_000)]).finally(() => futureConn.release());
    expect(await exists(future)).toBe(true);

    const done = await maintainPartitions(db.pool, now);
    expect(done.skipped).toBeUndefined();
    expect(done.dropped).toEqual(expect.arrayContaining(killed));
    for (const name of killed) expect(await exists(name)).toBe(false);
    expect(await exists("market_candles_p20150330")).toBe(true); // holds a bar
    expect(await exists(future)).toBe(true);
    expect(await exists("market_candles_default")).toBe(true);
    // The current week and the next AHEAD_WEEKS, empty as they are, are made ahead and kept.
    for (let k = 0; k <= AHEAD_WEEKS; k++) expect(await exists(partitionName(new Date(current.getTime() + k * WEEK_MS)))).toBe(true);
    expect(done.dropped.every((n) => n < partitionName(current))).toBe(true);
  });

  it("moves stray rows out of the default partition into their week", async () => {
    await db.pool.query("INSERT INTO market_candles VALUES ('2014-09-10T02:00:00Z', 'STRAY', 10, 11, 9, 10, 5)");
    expect((await db.pool.query("SELECT tableoid::regclass::text AS p FROM market_candles WHERE symbol = 'STRAY'")).rows[0].p).toBe("market_candles_default");
    const done = await maintainPartitions(db.pool);
    expect(done.rehomed).toBe(1);
    expect(done.created).toContain("market_candles_p20140908");
    expect((await db.pool.query("SELECT tableoid::regclass::text AS p FROM market_candles WHERE symbol = 'STRAY'")).rows[0].p).toBe("market_candles_p20140908");
  });

  it("leaves the weeks of a writer in flight alone, and drops them once it is gone", async () => {
    const conn = await db.pool.connect();
    try {
      await withWeekPartitions(conn, ["2013-07-03T02:00:00Z"], async () => {
        // Made, not yet written: maintenance must not drop it under the writer.
        const during = await maintainPartitions(db.pool);
        expect(during.skipped).toMatch(/writer/);
        expect(await exists("market_candles_p20130701")).toBe(true);
      });
    } finally {
      conn.release();
    }
    // The writer wrote nothing after all: the week is empty and over.
    expect((await maintainPartitions(db.pool)).dropped).toContain("market_candles_p20130701");
  });

  it("gives up within its lock timeout when readers hold market_candles, and keeps the week", async () => {
    const conn = await db.pool.connect();
    await createWeekPartitions(conn, ["2012-02-08T02:00:00Z"]).finally(() => conn.release());
    const reader = await db.pool.connect();
    try {
      await reader.query("BEGIN");
      await reader.query("SELECT count(*) FROM market_candles"); // ACCESS SHARE on every partition until the end of the transaction
      const started = Date.now();
      const done = await maintainPartitions(db.pool);
      expect(done.skipped).toMatch(/busy/);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await exists("market_candles_p20120206")).toBe(true);
      await reader.query("COMMIT");
    } finally {
      reader.release();
    }
    expect((await maintainPartitions(db.pool)).dropped).toContain("market_candles_p20120206");
  });
});

describe("readers during an import's write", () => {
  it("are not held up while the import's transaction writing new weeks is open", async () => {
    let release!: () => void;
    let writing!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const inWrite = new Promise<void>((r) => (writing = r));
    const pausing = watchedPool(db.pool, (sql) => {
      if (!sql.includes("WITH input AS")) return undefined;
      writing();
      return released; // the rows are written, the transaction stays open
    });
    const importing = importCandleCsv(pausing, minuteCsv("2011-01-03", 10), { symbol: "HPG", unit: "VND", resolution: "1m", skipBadRows: false, confirmWarnings: true });
    await inWrite;
    await new Promise((r) => setTimeout(r, 100)); // the move statement is running or done; the transaction is open
    const reader = await impatientReader();
    try {
      // A lock wait past 200 ms would fail these with 55P03.
      await readLikeTheCharts(reader);
      await reader.query("SELECT count(*) FROM market_candles");
    } finally {
      release();
      await reader.end();
    }
    expect((await importing).imported).toBe(300);
    expect(await exists("market_candles_p20110103")).toBe(true);
    expect(await exists("market_candles_p20110110")).toBe(true);
  });

  it("would be held up if the week were made inside the write transaction (why it is not)", async () => {
    const writer = await db.pool.connect();
    const reader = await impatientReader();
    try {
      await writer.query("BEGIN");
      await writer.query("SELECT market_candles_ensure_partitions(ARRAY['2010-06-02T02:00:00Z'::timestamptz])");
      await writer.query("INSERT INTO market_candles VALUES ('2010-06-02T02:00:00Z', 'HPG', 25000, 25000, 25000, 25000, 1)");
      // The reads plan the default partition, which ATTACH PARTITION locked ACCESS EXCLUSIVE until the commit.
      await expect(readLikeTheCharts(reader)).rejects.toMatchObject({ code: LOCK_NOT_AVAILABLE });
    } finally {
      await writer.query("ROLLBACK");
      writer.release();
      await reader.end();
    }
  });
});
