/**
 * ingestCandles / ingestDailyBars / refreshAggregates against the real PostgreSQL (native shape), on a
 * database of this file's own: these tests truncate market_candles and move the rollup's watermark.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { CandleBook, DAY_MS, HOUR_MS, MINUTE_MS, readBars } from "@/test/candle-oracle";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { CandleValidationError, ingestCandles, ingestDailyBars, refreshAggregates } from "./ingest";
import { maintainPartitions } from "./partitions";
import type { CandleRow } from "./types";

const db = scratchDatabaseForFile("ingest");

/** Bars of `symbol`, one per minute from `start`, with a deterministic walk so each hour differs. */
function minutes(symbol: string, start: number, count: number, seed = 1): CandleRow[] {
  return Array.from({ length: count }, (_, i) => {
    const base = 20_000 + ((i * 37 * seed) % 500) * 10;
    return {
      time: new Date(start + i * MINUTE_MS),
      symbol,
      open: base,
      high: base + 50 + (i % 3) * 10,
      low: base - 40,
      close: base + ((i * seed) % 5) * 10 - 20,
      volume: 100 * (1 + ((i * 7 + seed) % 13)),
    };
  });
}

const at = (iso: string) => Date.parse(iso);

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.pool.query(sql, params);
  return Number(rows[0].n);
}

describe("ingestCandles", () => {
  it("stores bars exactly as given, COPYing a batch that overlaps nothing", async () => {
    const rows: CandleRow[] = [
      { time: new Date("2025-03-04T02:15:00Z"), symbol: "EXA", open: 0.1 + 0.2, high: 25_950.5, low: 0.3, close: 1e-7 + 0.3, volume: 0 },
      // The sanity bounds' extremes (bar-bounds.ts): the widest plausible price and volume.
      { time: new Date("2025-03-04T02:16:00Z"), symbol: "EXA", open: 1234.5678, high: 9_999_999.999999, low: 5e-324, close: 99.99, volume: 10_000_000_000 },
      { time: new Date("1995-06-01T03:04:00Z"), symbol: "VN30F2412", open: 1, high: 1, low: 1, close: 1, volume: 1 },
    ];
    const result = await ingestCandles(db.pool, rows);
    expect(result).toEqual({ written: 3, path: "copy", changed: 0, changes: [] });
    const { rows: back } = await db.pool.query(
      "SELECT time, symbol, open, high, low, close, volume::text FROM market_candles WHERE symbol IN ('EXA', 'VN30F2412') ORDER BY time",
    );
    expect(back).toEqual(
      [rows[2]!, rows[0]!, rows[1]!].map((r) => ({ ...r, volume: String(r.volume) })),
    );
  });

  it("refuses a batch with one bad row and stores nothing, not even a partition", async () => {
    const partitions = () => count("SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'market_candles'::regclass");
    const before = await partitions();
    const rows = minutes("BAD", at("2021-06-07T02:00:00Z"), 50);
    rows[37] = { ...rows[37]!, high: rows[37]!.low - 1 };
    const error = await ingestCandles(db.pool, rows).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CandleValidationError);
    expect((error as Error).message).toContain("rows[37] (BAD 2021-06-07T09:37:00+07:00)");
    expect((error as Error).message).toContain("is below low");
    expect(await count("SELECT count(*) AS n FROM market_candles WHERE symbol = 'BAD'")).toBe(0);
    expect(await partitions()).toBe(before);
  });

  it("changes nothing when the same rows come again", async () => {
    const rows = minutes("AGAIN", at("2025-04-01T02:00:00Z"), 120);
    expect(await ingestCandles(db.pool, rows)).toMatchObject({ written: 120, path: "copy", changed: 0 });
    expect(await ingestCandles(db.pool, rows)).toMatchObject({ written: 0, path: "upsert", changed: 0 });
    expect(await ingestCandles(db.pool, rows.slice(10, 20))).toMatchObject({ written: 0, path: "upsert", changed: 0 });
    expect(await count("SELECT count(*) AS n FROM market_candles WHERE symbol = 'AGAIN'")).toBe(120);
  });

  it("upserts an overlapping batch: changed bars are updated, new ones added, equal ones left alone", async () => {
    const rows = minutes("OVER", at("2025-04-02T02:00:00Z"), 60);
    await ingestCandles(db.pool, rows);
    const changed = rows.slice(0, 5).map((r) => ({ ...r, close: r.low, volume: r.volume + 1 }));
    const added = minutes("OVER", at("2025-04-02T03:00:00Z"), 3);
    const result = await ingestCandles(db.pool, [...changed, ...rows.slice(5, 30), ...added]);
    // The 5 replaced bars are reported (before → after, in time order) and logged; the 3 new ones are not changes.
    expect(result).toMatchObject({ written: 8, path: "upsert", changed: 5 });
    expect(result.changes).toEqual(
      changed.map((r, i) => ({
        symbol: "OVER",
        time: r.time,
        before: { open: rows[i]!.open, high: rows[i]!.high, low: rows[i]!.low, close: rows[i]!.close, volume: rows[i]!.volume },
        after: { open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume },
      })),
    );
    const { rows: logged } = await db.pool.query(
      "SELECT resolution, source, old_close, new_close, new_volume::int FROM market_candle_changes WHERE symbol = 'OVER' ORDER BY time",
    );
    expect(logged).toEqual(changed.map((r, i) => ({ resolution: "1m", source: "ingest", old_close: rows[i]!.close, new_close: r.close, new_volume: r.volume })));
    const { rows: back } = await db.pool.query(
      "SELECT close, volume::int FROM market_candles WHERE symbol = 'OVER' AND time = $1",
      [rows[0]!.time],
    );
    expect(back[0]).toEqual({ close: changed[0]!.close, volume: changed[0]!.volume });
    expect(await count("SELECT count(*) AS n FROM market_candles WHERE symbol = 'OVER'")).toBe(63);
  });

  it("keeps the last bar when a batch repeats a minute (the feed re-sends the forming minute)", async () => {
    const [first] = minutes("LAST", at("2025-04-03T02:00:00Z"), 1);
    const later = { ...first!, close: first!.high, volume: first!.volume * 2 };
    const result = await ingestCandles(db.pool, [first!, later]);
    expect(result.path).toBe("upsert"); // COPY met the duplicate and gave way
    const { rows } = await db.pool.query("SELECT close, volume::int FROM market_candles WHERE symbol = 'LAST'");
    expect(rows).toEqual([{ close: later.close, volume: later.volume }]);
  });

  it("puts each week in its own partition and creates only the weeks it needs", async () => {
    const partitionOf = async (symbol: string) =>
      (await db.pool.query("SELECT DISTINCT tableoid::regclass::text AS p FROM market_candles WHERE symbol = $1", [symbol])).rows.map(
        (r) => r.p,
      );
    // 1995 and 2022 in one batch: two weeks, not 27 years of them.
    const before = await count("SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'market_candles'::regclass");
    await ingestCandles(db.pool, [
      ...minutes("WEEKS", at("1995-03-08T02:00:00Z"), 2),
      ...minutes("WEEKS", at("2022-08-10T02:00:00Z"), 2),
    ]);
    expect(await count("SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'market_candles'::regclass")).toBe(before + 2);
    // Weeks start on Monday 00:00 UTC (07:00 in Vietnam, before the open).
    expect((await partitionOf("WEEKS")).sort()).toEqual(["market_candles_p19950306", "market_candles_p20220808"]);
  });

  it("moves rows out of the default partition when their week gets a partition", async () => {
    // A raw INSERT into a week nobody prepared lands in the default partition...
    await db.pool.query(
      "INSERT INTO market_candles VALUES ('2019-05-15T02:00:00Z', 'STRAY', 10, 11, 9, 10, 5)",
    );
    const where = async () =>
      (await db.pool.query("SELECT tableoid::regclass::text AS p FROM market_candles WHERE symbol = 'STRAY'")).rows.map((r) => r.p);
    expect(await where()).toEqual(["market_candles_default"]);
    // ...and the next ingest into that week moves it into the week's partition.
    await ingestCandles(db.pool, minutes("STRAY", at("2019-05-16T02:00:00Z"), 1));
    expect(await where()).toEqual(["market_candles_p20190513", "market_candles_p20190513"]);
    expect(await count("SELECT count(*) AS n FROM market_candles_default")).toBe(0);
  });
});

describe("an import killed half-way (kill -9)", () => {
  it("leaves an empty week that the next partition maintenance drops (the week is made before the write transaction)", async () => {
    const partitions = () => count("SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'market_candles'::regclass");
    const before = await partitions();
    const fixture = fileURLToPath(new URL("../../test/fixtures/ingest-killed-child.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", fixture, db.url, "2017-01-04T02:00:00Z"], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("mid-import")) resolve();
      });
      child.once("exit", () => reject(new Error(`the child ended before the middle of its import: ${out}`)));
    });
    // Mid-import: its write transaction is open, the week's partition made (and committed) before it.
    const backend = async () =>
      (await db.pool.query("SELECT state FROM pg_stat_activity WHERE application_name = 'ingest-killed-child'")).rows.map((r) => r.state as string);
    expect(await backend()).toEqual(["idle in transaction"]);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    for (let i = 0; i < 100 && (await backend()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await backend()).toEqual([]);

    expect(await count("SELECT count(*) AS n FROM market_candles WHERE symbol = 'KILLED'")).toBe(0);
    // The killed process could not drop its empty week; the scheduled maintenance does.
    const week = async () => (await db.pool.query("SELECT to_regclass('market_candles_p20170102') AS p")).rows[0].p;
    expect(await week()).toBe("market_candles_p20170102");
    expect(await partitions()).toBe(before + 1);
    expect((await maintainPartitions(db.pool)).dropped).toContain("market_candles_p20170102");
    expect(await week()).toBeNull();
    expect(await partitions()).toBe(before);
  }, 60_000);
});

describe("weekly partitions under concurrency and daylight saving", () => {
  it("lets two ingests create the same new week at once", async () => {
    const week = at("2018-01-17T02:00:00Z");
    const results = await Promise.allSettled([
      ingestCandles(db.pool, minutes("RACE_A", week, 30)),
      ingestCandles(db.pool, minutes("RACE_B", week, 30)),
      ingestCandles(db.pool, minutes("RACE_C", week, 30)),
    ]);
    expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok", "ok"]);
    expect(await count("SELECT count(*) AS n FROM market_candles WHERE symbol LIKE 'RACE_%'")).toBe(90);
  });

  it("makes weeks of exactly 168 hours whatever the session's time zone", async () => {
    // Europe/Berlin leaves daylight saving on 2021-10-31: a '7 days' step from Monday 00:00 UTC would end
    // an hour late there and overlap the next week's partition.
    const berlin = new pg.Pool({ connectionString: db.url, options: "-c TimeZone=Europe/Berlin", max: 1 });
    try {
      await ingestCandles(berlin, [
        ...minutes("DST", at("2021-10-27T02:00:00Z"), 1),
        ...minutes("DST", at("2021-11-03T02:00:00Z"), 1),
      ]);
    } finally {
      await berlin.end();
    }
    const { rows } = await db.pool.query(
      `SELECT pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_class c
        WHERE c.relname IN ('market_candles_p20211025', 'market_candles_p20211101') ORDER BY c.relname`,
    );
    expect(rows.map((r) => r.bound.replace(/\+00|\+01/g, ""))).toEqual([
      "FOR VALUES FROM ('2021-10-25 00:00:00') TO ('2021-11-01 00:00:00')",
      "FOR VALUES FROM ('2021-11-01 00:00:00') TO ('2021-11-08 00:00:00')",
    ]);
  });
});

describe("ingestDailyBars", () => {
  const day = (iso: string, close: number): CandleRow => ({
    time: new Date(iso),
    symbol: "EODX",
    open: close - 100,
    high: close + 200,
    low: close - 300,
    close,
    volume: 1_000,
  });

  it("upserts end-of-day bars stamped 00:00 in Vietnam, idempotently", async () => {
    const bars = [day("2020-12-29T17:00:00Z", 41_450), day("2020-12-30T17:00:00Z", 41_500)];
    expect(await ingestDailyBars(db.pool, bars)).toEqual({ written: 2, path: "upsert", changed: 0, changes: [] });
    expect(await ingestDailyBars(db.pool, bars)).toEqual({ written: 0, path: "upsert", changed: 0, changes: [] });
    const replaced = await ingestDailyBars(db.pool, [{ ...bars[1]!, close: 41_600 }], { source: "csv-import" });
    expect(replaced).toMatchObject({ written: 1, path: "upsert", changed: 1 });
    const ohlcv = ({ open, high, low, close, volume }: CandleRow) => ({ open, high, low, close, volume });
    expect(replaced.changes).toEqual([{ symbol: "EODX", time: bars[1]!.time, before: ohlcv(bars[1]!), after: { ...ohlcv(bars[1]!), close: 41_600 } }]);
    expect(await count("SELECT count(*) AS n FROM market_candles_eod WHERE symbol = 'EODX'")).toBe(2);
  });

  it("refuses a bar stamped at midnight UTC and stores nothing of its batch", async () => {
    const bars = [day("2020-11-29T17:00:00Z", 40_000), day("2020-12-01T00:00:00Z", 40_000)];
    await expect(ingestDailyBars(db.pool, bars)).rejects.toThrow(/rows\[1\].*is not 00:00 in Vietnam/s);
    expect(await count("SELECT count(*) AS n FROM market_candles_eod WHERE time = '2020-11-29T17:00:00Z'")).toBe(0);
  });
});

describe("the 1h and 1D candles", () => {
  const book = new CandleBook();
  const symbols = ["AGG1", "AGG2"];
  const now = Date.now();
  // Whole hours: two days ago (below the watermark once refreshed) and two hours ahead (above it).
  const past = Math.floor((now - 2 * DAY_MS) / HOUR_MS) * HOUR_MS;
  const ahead = Math.floor(now / HOUR_MS) * HOUR_MS + 2 * HOUR_MS;

  async function write(rows: CandleRow[]) {
    await ingestCandles(db.pool, rows);
    book.put(rows);
  }
  async function expectOracle() {
    expect(await readBars(db.pool, "market_candles_1h", symbols)).toEqual(book.hourly());
    expect(await readBars(db.pool, "market_candles_1d", symbols)).toEqual(book.daily());
  }

  it("aggregate the 1-minute bars before any refresh (real-time)", async () => {
    await db.pool.query("TRUNCATE market_candles"); // also resets the rollup
    await write([...minutes("AGG1", past, 150, 1), ...minutes("AGG2", past + 30 * MINUTE_MS, 95, 2)]);
    await write(minutes("AGG1", ahead, 20, 3));
    await expectOracle();
    expect(await count("SELECT count(*) AS n FROM market_candles_1h_materialized")).toBe(0);
  });

  it("are materialised by a refresh up to the last hour with data; later hours stay live", async () => {
    const result = await refreshAggregates(db.pool);
    expect(result.engine).toBe("native");
    // 150 minutes from a whole hour: 3 hours of AGG1; 95 minutes from :30: 3 hours of AGG2.
    expect(result.hourlyRowsWritten).toBe(6);
    const { rows } = await db.pool.query("SELECT watermark FROM market_candles_1h_watermark");
    expect((rows[0].watermark as Date).toISOString()).toBe(new Date(past + 3 * HOUR_MS).toISOString());
    await expectOracle();
  });

  it("read bars appended after the data live, without a refresh", async () => {
    await write(minutes("AGG2", past + 4 * HOUR_MS, 30, 6));
    expect(await count("SELECT count(*) AS n FROM market_candles_1h_invalidations")).toBe(0);
    await expectOracle();
    expect((await refreshAggregates(db.pool)).hourlyRowsWritten).toBe(1);
    await expectOracle();
  });

  it("re-aggregate only the hours a backfill, an update or a delete touched", async () => {
    // Backfill: an hour before anything stored.
    await write(minutes("AGG2", past - 3 * HOUR_MS, 60, 4));
    // Update: one bar in AGG1's second hour.
    const target = book.minutes.get(`AGG1|${past + 70 * MINUTE_MS}`)!;
    await write([{ ...target, high: target.high + 500, volume: target.volume + 1 }]);
    // Delete: AGG2's last hour entirely, and one bar of AGG1's first hour.
    const lastHour = past + 2 * HOUR_MS;
    await db.pool.query("DELETE FROM market_candles WHERE symbol = 'AGG2' AND time >= $1", [new Date(lastHour)]);
    book.remove((r) => r.symbol === "AGG2" && r.time.getTime() >= lastHour && r.time.getTime() < ahead);
    await db.pool.query("DELETE FROM market_candles WHERE symbol = 'AGG1' AND time = $1", [new Date(past + 5 * MINUTE_MS)]);
    book.remove((r) => r.symbol === "AGG1" && r.time.getTime() === past + 5 * MINUTE_MS);

    const result = await refreshAggregates(db.pool);
    // Backfilled hour + updated hour + AGG1's first hour rewritten; AGG2's emptied hour deleted.
    expect(result.hourlyRowsWritten).toBe(3);
    expect(await count("SELECT count(*) AS n FROM market_candles_1h_invalidations")).toBe(0);
    await expectOracle();
  });

  it("take days from end-of-day bars where there are no 1-minute bars, bucketed at 00:00 in Vietnam", async () => {
    const vnMidnight = (t: number) => Math.floor((t + 7 * HOUR_MS) / DAY_MS) * DAY_MS - 7 * HOUR_MS;
    const today = vnMidnight(past);
    const eod = [today - 2 * DAY_MS, today - DAY_MS, today].map((t, i) => ({
      time: new Date(t),
      symbol: "AGG1",
      open: 30_000 + i,
      high: 31_000,
      low: 29_000,
      close: 30_500,
      volume: 7_000,
    }));
    await ingestDailyBars(db.pool, eod);
    book.putDaily(eod);
    await expectOracle();
    const { rows } = await db.pool.query(
      "SELECT bucket, open FROM market_candles_1d WHERE symbol = 'AGG1' AND bucket < $1 ORDER BY bucket",
      [new Date(today)],
    );
    expect(rows.map((r) => [(r.bucket as Date).toISOString().slice(11), r.open])).toEqual([
      ["17:00:00.000Z", 30_000],
      ["17:00:00.000Z", 30_001],
    ]);
  });

  it("split days at 17:00 UTC: 16:59 and 17:00 UTC are different Vietnamese days", async () => {
    const edge = Math.floor((past - 5 * DAY_MS) / DAY_MS) * DAY_MS + 17 * HOUR_MS; // 00:00 in Vietnam
    await write(minutes("AGG2", edge - 2 * MINUTE_MS, 4, 5));
    await refreshAggregates(db.pool);
    await expectOracle();
    const { rows } = await db.pool.query(
      "SELECT bucket FROM market_candles_1d WHERE symbol = 'AGG2' AND bucket BETWEEN $1 AND $2 ORDER BY bucket",
      [new Date(edge - DAY_MS), new Date(edge)],
    );
    expect(rows.map((r) => (r.bucket as Date).getTime())).toEqual([edge - DAY_MS, edge]);
  });

  it("TRUNCATE empties the rollup too", async () => {
    await db.pool.query("TRUNCATE market_candles");
    book.remove(() => true);
    expect(await count("SELECT count(*) AS n FROM market_candles_1h_materialized")).toBe(0);
    expect(await readBars(db.pool, "market_candles_1h", symbols)).toEqual([]);
  });
});

describe("refreshAggregates and concurrent writers", () => {
  it("waits for a writer that read the old watermark, so its rows are not lost", async () => {
    await db.pool.query("TRUNCATE market_candles"); // watermark back to -infinity
    const symbol = "RACE";
    const start = Math.floor((Date.now() - DAY_MS) / HOUR_MS) * HOUR_MS;
    const rows = minutes(symbol, start, 30);
    await ingestCandles(db.pool, [rows[0]!]); // the partition exists before the open transaction
    const writer = await db.pool.connect();
    try {
      await writer.query("BEGIN");
      await writer.query(
        `INSERT INTO market_candles SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::bigint[])`,
        [
          rows.slice(1).map((r) => r.time),
          rows.slice(1).map((r) => r.symbol),
          rows.slice(1).map((r) => r.open),
          rows.slice(1).map((r) => r.high),
          rows.slice(1).map((r) => r.low),
          rows.slice(1).map((r) => r.close),
          rows.slice(1).map((r) => r.volume),
        ],
      );
      const refresh = refreshAggregates(db.pool);
      // The refresh must be waiting on the writer's lock, not done without its rows.
      for (let i = 0; ; i++) {
        const waiting = await count(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%market_candles_1h_refresh%'`,
        );
        if (waiting === 1) break;
        if (i > 200) throw new Error("the refresh never waited for the open writer");
        await new Promise((r) => setTimeout(r, 25));
      }
      await writer.query("COMMIT");
      await refresh;
    } finally {
      writer.release();
    }
    const book = new CandleBook();
    book.put(rows);
    expect(await readBars(db.pool, "market_candles_1h", [symbol])).toEqual(book.hourly());
    expect(await count("SELECT count(*) AS n FROM market_candles_1h_materialized WHERE symbol = $1", [symbol])).toBe(1);
  });
});
