/**
 * The DNSE history client and the backfill, against a local stand-in speaking DNSE's JSON
 * (test/dnse-chart-stand-in.ts) and the real PostgreSQL (a database of this file's own).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, startDnseChartStandIn, type DnseChartStandIn, type StandInBar } from "@/test/dnse-chart-stand-in";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { JobRunner } from "@/lib/jobs/runner";
import { backfillJob, BackfillError, backfillJobHandler, runBackfill, startBackfill } from "./backfill";
import { sessionMinutes } from "./calendar";
import { barsExpected, chunkRange, dailyResolutionName, DnseChartError, fetchDnseChunk, forgetDailyResolutionName, retryAfterMs, toStoredPrice } from "./dnse-chart";
import { UnknownSymbolError } from "./symbols";

const db = scratchDatabaseForFile("backfill");
let dnse: DnseChartStandIn;
const sleeps: number[] = [];
/** The tests' clock: March 2025's bars are within DNSE's ~90 days of minute history. */
const NOW = Date.parse("2025-03-20T05:00:00Z");
const fast = () => ({ baseUrl: dnse.url, sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 100, timeoutMs: 2_000, now: () => NOW, log: () => {} });

/** HPG's 1-minute bars of 3–7 March 2025 in DNSE's units (thousand VND). */
function hpgMinutes(): StandInBar[] {
  return ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"].flatMap((day) =>
    sessionMinutes("HOSE", day).map((time, i) => ({ t: time.getTime() / 1000, o: 25.95, h: 26.1, l: 25.9, c: i % 2 ? 26.05 : 25.95, v: 1000 + i })),
  );
}

beforeAll(async () => {
  dnse = await startDnseChartStandIn({ now: () => NOW });
  await db.pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
       ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel'), ('VNINDEX', 'VN-Index', 'index', 'HOSE', NULL),
       ('HSG', 'Hoa Sen Group', 'stock', 'HOSE', 'Steel'), ('IRON_ORE', 'Iron ore', 'commodity', NULL, NULL)`,
  );
  dnse.bars.set("HPG", hpgMinutes());
});
afterAll(async () => {
  await dnse?.close();
});

const chunk = { from: Date.parse("2025-03-03T00:00:00Z") / 1000, to: Date.parse("2025-03-04T00:00:00Z") / 1000 };

describe("the DNSE chart client", () => {
  it("converts thousand VND exactly (no float error) and leaves points alone", () => {
    expect(toStoredPrice("stock", 25.95)).toBe(25_950);
    expect(toStoredPrice("stock", 1.005)).toBe(1005);
    expect(1.005 * 1000).not.toBe(1005); // what float arithmetic would have stored: 1004.9999999999999
    expect(toStoredPrice("index", 1262.33)).toBe(1262.33);
  });

  it("cuts long ranges into consecutive chunks", () => {
    const day = 86_400;
    expect(chunkRange(0, 20 * day, "1")).toEqual([
      { from: 0, to: 7 * day - 1 },
      { from: 7 * day, to: 14 * day - 1 },
      { from: 14 * day, to: 20 * day },
    ]);
    expect(chunkRange(0, 20 * day, "D")).toHaveLength(1);
    expect(chunkRange(10, 5, "1")).toEqual([]);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2025-03-04T02:00:00Z");
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs("Tue, 04 Mar 2025 02:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it("retries 429 honouring Retry-After and 5xx with backoff, then succeeds", async () => {
    sleeps.length = 0;
    dnse.script.set("HPG", [json({ message: "Too many requests" }, 429, { "retry-after": "2" }), json({}, 502), json({}, 503)]);
    const bars = await fetchDnseChunk("stock", "HPG", "1", chunk, fast());
    expect(bars).toHaveLength(226);
    expect(bars[0]).toEqual({ time: Date.parse("2025-03-03T02:15:00Z") / 1000, open: 25.95, high: 26.1, low: 25.9, close: 25.95, volume: 1000 });
    // 2 s asked by Retry-After; then jittered backoff: 100·2¹·0.5, 100·2²·0.5.
    expect(sleeps).toEqual([2000, 100, 200]);
    expect(dnse.requests.at(-1)).toMatchObject({ instrument: "stock", symbol: "HPG", resolution: "1", from: chunk.from, to: chunk.to });
  });

  it("gives up after the bounded number of attempts, naming the chunk", async () => {
    dnse.script.set("HPG", Array.from({ length: 3 }, () => json({ message: "Internal error" }, 500)));
    const failing = fetchDnseChunk("stock", "HPG", "1", chunk, { ...fast(), maxAttempts: 3 });
    await expect(failing).rejects.toThrow(DnseChartError);
    await expect(fetchDnseChunk("stock", "HPG", "1", chunk, { ...fast(), maxAttempts: 1 })).resolves.toHaveLength(226);
    dnse.script.set("HPG", Array.from({ length: 3 }, () => json({}, 500)));
    await expect(fetchDnseChunk("stock", "HPG", "1", chunk, { ...fast(), maxAttempts: 3 })).rejects.toThrow(
      "DNSE did not answer chunk HPG 1 2025-03-03T07:00:00+07:00 → 2025-03-04T07:00:00+07:00 after 3 attempts (last: HTTP 500)",
    );
  });

  it("does not retry a refusal (4xx other than 429)", async () => {
    dnse.script.set("HPG", [json({ message: "Bad symbol" }, 400)]);
    await expect(fetchDnseChunk("stock", "HPG", "1", chunk, fast())).rejects.toThrow(/DNSE refused chunk HPG 1 .*: HTTP 400/);
  });

  it.each([
    ["arrays of unequal length", json({ t: [1, 2], o: [1, 2], h: [1], l: [1, 2], c: [1, 2], v: [1, 2] }).body, /malformed: answer: arrays of unequal length \(t 2, o 2, h 1, l 2, c 2, v 2\)/],
    ["a missing array", json({ t: [1], o: [1], h: [1], l: [1], c: [1] }).body, /arrays of unequal length \(.*v missing\)/],
    ["a string among the numbers", json({ t: [1], o: ["x"], h: [1], l: [1], c: [1], v: [1] }).body, /o\.0: o holds "x" where a number belongs/],
    ["malformed JSON", '{"t":[1,2', /is not JSON \(starts with "\{\\"t\\":\[1,2"\)/],
    ["HTML", "<html>maintenance</html>", /is not JSON/],
  ])("fails the chunk on %s", async (_label, body, message) => {
    dnse.script.set("HPG", [{ status: 200, body }]);
    await expect(fetchDnseChunk("stock", "HPG", "1", chunk, fast())).rejects.toThrow(message);
  });

  it.each([["{}"], [json({ t: [], o: [], h: [], l: [], c: [], v: [] }).body]])("reads an empty answer %s as no bars", async (body) => {
    dnse.script.set("HPG", [{ status: 200, body }]);
    expect(await fetchDnseChunk("stock", "HPG", "1", chunk, fast())).toEqual([]);
  });
});

describe("runBackfill", () => {
  it("stores a week of 1-minute bars in VND chunk by chunk, reporting progress, and refreshes the rollup", async () => {
    const progress: unknown[] = [];
    const result = await runBackfill(
      db.pool,
      { symbol: "HPG", resolution: "1", from: new Date("2025-03-01T00:00:00Z"), to: new Date("2025-03-10T00:00:00Z") },
      { ...fast(), onProgress: (p) => progress.push(p) },
    );
    expect(result).toEqual({ fetched: 1130, stored: 1130, changed: 0, changes: [], chunksDone: 2, chunksTotal: 2 });
    expect(progress).toHaveLength(3);
    expect(progress[1]).toMatchObject({ chunksDone: 1, chunksTotal: 2 });
    const { rows } = await db.pool.query("SELECT count(*)::int AS n, min(open) AS open, max(close) AS close FROM market_candles WHERE symbol = 'HPG'");
    expect(rows[0]).toEqual({ n: 1130, open: 25_950, close: 26_050 });
    const hours = await db.pool.query("SELECT count(*)::int AS n FROM market_candles_1h_materialized WHERE symbol = 'HPG'");
    expect(hours.rows[0].n).toBe(25);
  });

  it("fetches daily bars for D and stamps them 00:00 in Vietnam; indices stay in points", async () => {
    dnse.bars.set("VNINDEX", [
      { t: Date.parse("2025-03-03T00:00:00Z") / 1000, o: 1300.5, h: 1310.25, l: 1295, c: 1305.75, v: 700_000_000 },
      { t: Date.parse("2025-03-03T17:00:00Z") / 1000, o: 1305.75, h: 1312, l: 1301, c: 1310, v: 650_000_000 },
    ]);
    const result = await runBackfill(db.pool, { symbol: "VNINDEX", resolution: "D", from: new Date("2025-03-01T00:00:00Z"), to: new Date("2025-03-05T00:00:00Z") }, fast());
    expect(result).toMatchObject({ stored: 2, chunksTotal: 1 });
    expect(dnse.requests.at(-1)).toMatchObject({ instrument: "index", resolution: "D" });
    const { rows } = await db.pool.query("SELECT time, close FROM market_candles_eod WHERE symbol = 'VNINDEX' ORDER BY time");
    expect(rows).toEqual([
      { time: new Date("2025-03-02T17:00:00Z"), close: 1305.75 },
      { time: new Date("2025-03-03T17:00:00Z"), close: 1310 },
    ]);
    // DNSE answers a different close for a stored day: the backfill reports the change, before → after, and logs it.
    dnse.bars.set("VNINDEX", [{ t: Date.parse("2025-03-03T17:00:00Z") / 1000, o: 1305.75, h: 1312, l: 1301, c: 1311.5, v: 650_000_000 }]);
    const again = await runBackfill(db.pool, { symbol: "VNINDEX", resolution: "D", from: new Date("2025-03-01T00:00:00Z"), to: new Date("2025-03-05T00:00:00Z") }, fast());
    expect(again).toMatchObject({ stored: 1, changed: 1 });
    expect(again.changes).toEqual([
      {
        symbol: "VNINDEX",
        time: new Date("2025-03-03T17:00:00Z"),
        before: { open: 1305.75, high: 1312, low: 1301, close: 1310, volume: 650_000_000 },
        after: { open: 1305.75, high: 1312, low: 1301, close: 1311.5, volume: 650_000_000 },
      },
    ]);
    const { rows: logged } = await db.pool.query("SELECT source, old_close, new_close FROM market_candle_changes WHERE symbol = 'VNINDEX'");
    expect(logged).toEqual([{ source: "backfill", old_close: 1310, new_close: 1311.5 }]);
  });

  it("fails on a chunk with a bad bar, naming it and storing nothing of it", async () => {
    dnse.script.set("HSG", [json({ t: [Date.parse("2025-03-03T02:15:00Z") / 1000], o: [17.8], h: [17.5], l: [17.9], c: [17.8], v: [100] })]);
    await expect(
      runBackfill(db.pool, { symbol: "HSG", resolution: "1", from: new Date("2025-03-03T00:00:00Z"), to: new Date("2025-03-04T00:00:00Z") }, fast()),
    ).rejects.toThrow(/DNSE's bars for chunk HSG 1 2025-03-03T07:00:00\+07:00 → 2025-03-04T07:00:00\+07:00 were refused: 1 of 1 candles refused; nothing was stored:\n.*high 17500 is below low 17900/);
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM market_candles WHERE symbol = 'HSG'");
    expect(rows[0].n).toBe(0);
  });

  it("refuses unknown symbols, commodities, reversed and too long ranges up front", async () => {
    const r = (symbol: string, from: string, to: string, resolution: "1" | "D" = "1") => runBackfill(db.pool, { symbol, resolution, from: new Date(from), to: new Date(to) }, fast());
    await expect(r("XYZ", "2025-03-01", "2025-03-02")).rejects.toThrow(UnknownSymbolError);
    await expect(r("IRON_ORE", "2025-03-01", "2025-03-02")).rejects.toThrow(/commodity series: DNSE has no chart/);
    await expect(r("HPG", "2025-03-02", "2025-03-01")).rejects.toThrow(BackfillError);
    await expect(r("HPG", "1990-01-01", "2025-03-01", "D")).rejects.toThrow(/a daily backfill takes at most 10980 days/);
  });
});

describe("DNSE's depth of minute history and empty answers", () => {
  it("plans minute backfills within DNSE's ~90 days, naming the first day allowed", async () => {
    const r = (resolution: "1" | "60" | "D", from: string) =>
      runBackfill(db.pool, { symbol: "HPG", resolution, from: new Date(from), to: new Date("2025-03-08T00:00:00Z") }, fast());
    // 20/03/2025 − 90 days = 20/12/2024 (00:00 in Vietnam).
    await expect(r("1", "2024-12-19T16:59:59Z")).rejects.toThrow(
      "DNSE serves 1-minute bars (what 1-minute bars are built from) for about the last 90 days: start on 20/12/2024 or later, or load daily bars (D) for older history.",
    );
    await expect(r("60", "2024-06-01T00:00:00Z")).rejects.toThrow(/what 60-minute bars are built from\) for about the last 90 days: start on 20\/12\/2024/);
    await expect(startBackfill(db.pool, "00000000-0000-0000-0000-000000000000", { symbol: "HPG", resolution: "1", from: new Date("2024-01-01"), to: new Date("2025-03-01") }, { maxQueued: 5, now: new Date(NOW) })).rejects.toThrow(BackfillError);
  });

  it("the stand-in, like DNSE, leaves minutes older than ~90 days out", async () => {
    dnse.bars.set("OLDM", [{ t: Date.parse("2024-11-04T02:15:00Z") / 1000, o: 10, h: 10, l: 10, c: 10, v: 1 }]);
    const old = { from: Date.parse("2024-11-04T00:00:00Z") / 1000, to: Date.parse("2024-11-05T00:00:00Z") / 1000 };
    expect(await fetchDnseChunk("stock", "OLDM", "1", old, fast())).toEqual([]);
    expect(await fetchDnseChunk("stock", "OLDM", "D", old, fast())).toHaveLength(1); // daily bars have no such limit
  });

  it("knows when a chunk should hold bars: a trading session begun by now", () => {
    const s = (iso: string) => Date.parse(iso) / 1000;
    expect(barsExpected({ from: s("2025-03-03T00:00:00Z"), to: s("2025-03-04T00:00:00Z") }, NOW)).toBe(true); // Monday
    expect(barsExpected({ from: s("2025-03-08T00:00:00Z"), to: s("2025-03-09T16:59:59Z") }, NOW)).toBe(false); // a weekend
    expect(barsExpected({ from: s("2025-03-21T00:00:00Z"), to: s("2025-03-25T00:00:00Z") }, NOW)).toBe(false); // the future
  });

  it("reports an empty chunk where trading sessions lie as 'DNSE returned no bars for …', after storing the others", async () => {
    await db.pool.query("INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ('GAPY', 'Gappy', 'stock', 'HOSE', 'Steel')");
    // Bars on 10–14 March only: the week of 3–7 March is answered empty.
    dnse.bars.set("GAPY", hpgMinutes().map((b) => ({ ...b, t: b.t + 7 * 86_400 })));
    const req = { symbol: "GAPY", resolution: "1" as const, from: new Date("2025-03-02T17:00:00Z"), to: new Date("2025-03-16T16:59:59Z") };
    await expect(runBackfill(db.pool, req, fast())).rejects.toThrow(
      /^DNSE returned no bars for GAPY 1 2025-03-03T00:00:00\+07:00 → 2025-03-09T23:59:59\+07:00, where trading sessions lie; the other chunks' 1130 bars were stored\.$/,
    );
    // A weekend answered empty is no failure.
    const weekend = await runBackfill(db.pool, { ...req, from: new Date("2025-03-14T17:00:00Z"), to: new Date("2025-03-16T16:59:59Z") }, fast());
    expect(weekend).toMatchObject({ fetched: 0, stored: 0, chunksDone: 1 });
    await expect(runBackfill(db.pool, { ...req, symbol: "HSG", from: new Date("2025-03-02T17:00:00Z"), to: new Date("2025-03-04T16:59:59Z") }, fast())).rejects.toThrow(
      /DNSE returned no bars for HSG 1 .*; nothing was stored\./,
    );
  });
});

describe("the daily resolution's name (D or 1D)", () => {
  const week = { from: Date.parse("2025-03-02T17:00:00Z") / 1000, to: Date.parse("2025-03-07T16:59:59Z") / 1000 };
  const daily = [{ t: Date.parse("2025-03-03T00:00:00Z") / 1000, o: 26, h: 26.5, l: 25.8, c: 26.2, v: 1_000_000 }];

  it("asks with D; where DNSE refuses it (4xx), asks with 1D, remembers that and says so once", async () => {
    forgetDailyResolutionName();
    const only1D = await startDnseChartStandIn({ dailyName: "1D", now: () => NOW });
    try {
      only1D.bars.set("HPG", daily);
      const lines: string[] = [];
      const opts = { ...fast(), baseUrl: only1D.url, log: (l: string) => lines.push(l) };
      expect(await fetchDnseChunk("stock", "HPG", "D", week, opts)).toHaveLength(1);
      expect(only1D.requests.map((r) => r.resolution)).toEqual(["D", "1D"]);
      expect(dailyResolutionName()).toBe("1D");
      expect(await fetchDnseChunk("stock", "HPG", "D", week, opts)).toHaveLength(1);
      expect(only1D.requests.map((r) => r.resolution)).toEqual(["D", "1D", "1D"]); // the remembered name first
      expect(lines).toEqual(["[dnse-chart] DNSE's chart history gives daily bars for resolution=1D; asking with it first from now on."]);
    } finally {
      await only1D.close();
      forgetDailyResolutionName();
    }
  });

  it("asks with 1D where D answers empty although trading days lie in the range", async () => {
    forgetDailyResolutionName();
    const only1D = await startDnseChartStandIn({ dailyName: "1D", now: () => NOW });
    try {
      only1D.bars.set("HPG", daily);
      only1D.script.set("HPG", [json({})]); // D: 200 {}
      expect(await fetchDnseChunk("stock", "HPG", "D", week, { ...fast(), baseUrl: only1D.url })).toHaveLength(1);
      expect(only1D.requests.map((r) => r.resolution)).toEqual(["D", "1D"]);
      expect(dailyResolutionName()).toBe("1D");
    } finally {
      await only1D.close();
      forgetDailyResolutionName();
    }
  });

  it("keeps D where it gives bars, and names both refusals when both names are refused", async () => {
    forgetDailyResolutionName();
    dnse.bars.set("DLY", daily);
    const before = dnse.requests.length;
    expect(await fetchDnseChunk("stock", "DLY", "D", week, fast())).toHaveLength(1);
    expect(dnse.requests.slice(before).map((r) => r.resolution)).toEqual(["D"]);
    expect(dailyResolutionName()).toBe("D");
    dnse.script.set("DLY", [json({ message: "Bad symbol" }, 400), json({ message: "Bad symbol" }, 400)]);
    await expect(fetchDnseChunk("stock", "DLY", "D", week, fast())).rejects.toThrow(/DNSE refused chunk DLY D .*: HTTP 400 for resolution=D, and HTTP 400 for resolution=1D/);
    forgetDailyResolutionName();
  });
});

describe("backfill jobs", () => {
  let runner: JobRunner;
  const users: Record<string, string> = {};
  beforeAll(async () => {
    for (const name of ["a", "b"]) {
      users[name] = (await db.pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [`backfill-${name}@example.com`])).rows[0]!.id;
    }
    runner = new JobRunner({
      pool: db.pool,
      schema: "pgboss_backfill_test",
      supervise: false,
      pollingIntervalSeconds: 0.5,
      dispatchIntervalMs: 200,
      concurrency: { "workflow-run": 1, backfill: 2 },
      handlers: { backfill: backfillJobHandler(db.pool, fast) },
      log: () => {},
    });
    await runner.start();
  });
  afterAll(async () => {
    await runner?.stop();
  });

  async function settled(userId: string, jobId: string) {
    let job = await backfillJob(db.pool, userId, jobId);
    for (let i = 0; i < 200 && (job?.status === "running" || job?.status === "queued"); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await backfillJob(db.pool, userId, jobId);
    }
    return job;
  }

  it("run in the background, report progress, and are visible to their user only", async () => {
    const req = { symbol: "HPG", resolution: "5" as const, from: new Date("2025-03-03T00:00:00Z"), to: new Date("2025-03-08T00:00:00Z") };
    const { jobId } = await startBackfill(db.pool, users.a!, req, { maxQueued: 5, now: new Date(NOW) });
    // The same request while it is queued or running is the same job.
    expect((await startBackfill(db.pool, users.a!, req, { maxQueued: 5, now: new Date(NOW) })).jobId).toBe(jobId);
    expect(await backfillJob(db.pool, users.b!, jobId)).toBeUndefined();
    expect(await backfillJob(db.pool, users.a!, "not-a-uuid")).toBeUndefined();
    await runner.wake("backfill");
    const job = await settled(users.a!, jobId);
    expect(job).toMatchObject({ id: jobId, status: "done", fetched: 1130, stored: 1130, chunksDone: 1, chunksTotal: 1 });
    expect(dnse.requests.at(-1)).toMatchObject({ resolution: "1" }); // 5-minute bars are derived from 1-minute ones
  });

  it("end failed with the chunk's error", async () => {
    dnse.script.set("HSG", Array.from({ length: 5 }, () => json({}, 500)));
    const { jobId } = await startBackfill(db.pool, users.a!, { symbol: "HSG", resolution: "1", from: new Date("2025-03-03T00:00:00Z"), to: new Date("2025-03-04T00:00:00Z") }, { maxQueued: 5, now: new Date(NOW) });
    await runner.wake("backfill");
    const job = await settled(users.a!, jobId);
    expect(job).toMatchObject({ status: "failed", chunksDone: 0, chunksTotal: 1, error: expect.stringMatching(/DNSE did not answer chunk HSG 1 .* after 5 attempts \(last: HTTP 500\)/) });
  });

  it("refuse a bad request before queueing anything", async () => {
    const count = async () => (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM background_jobs")).rows[0]!.n;
    const before = await count();
    await expect(startBackfill(db.pool, users.a!, { symbol: "XYZ", resolution: "1", from: new Date("2025-03-01"), to: new Date("2025-03-02") }, { maxQueued: 5, now: new Date(NOW) })).rejects.toThrow(UnknownSymbolError);
    await expect(startBackfill(db.pool, users.a!, { symbol: "HPG", resolution: "1", from: new Date("2025-03-02"), to: new Date("2025-03-01") }, { maxQueued: 5, now: new Date(NOW) })).rejects.toThrow(BackfillError);
    expect(await count()).toBe(before);
  });
});
