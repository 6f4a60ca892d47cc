/**
 * The market snapshot on a database of this file's own: the figures computed from the database, the
 * in-process cache, the real Redis (only when REDIS_URL is set), and a Redis that goes down mid-run
 * (a redis-server this file starts and kills, when the binary is installed).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCache, RedisCache } from "@/lib/cache";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { ingestCandles, ingestDailyBars } from "./ingest";
import { computeSnapshot, getSnapshot, snapshotKey, SNAPSHOT_TTL_SECONDS } from "./snapshot";

const db = scratchDatabaseForFile("snapshot");
const REDIS_URL = process.env.REDIS_URL;
const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;

const t = (iso: string) => new Date(iso);

beforeAll(async () => {
  await db.pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
       ('VNINDEX', 'VN-Index', 'index', 'HOSE', NULL),
       ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel'), ('HSG', 'Hoa Sen Group', 'stock', 'HOSE', 'Steel'),
       ('SHS', 'Saigon-Hanoi Securities', 'stock', 'HNX', 'Brokers'), ('OLD', 'Daily only', 'stock', 'UPCOM', NULL)`,
  );
  // VN-Index closed at 1,250.5 on 3 March and stands at 1,262.33 on 4 March (+0.94 %).
  await ingestDailyBars(db.pool, [{ time: t("2025-03-03T00:00:00+07:00"), symbol: "VNINDEX", open: 1240, high: 1255, low: 1238, close: 1250.5, volume: 0 }]);
  await ingestCandles(db.pool, [
    { time: t("2025-03-04T09:15:00+07:00"), symbol: "VNINDEX", open: 1251, high: 1260, low: 1250, close: 1258, volume: 1000 },
    { time: t("2025-03-04T09:16:00+07:00"), symbol: "VNINDEX", open: 1258, high: 1263, low: 1257, close: 1262.33, volume: 1000 },
    // HOSE on 4 March: 25,950 × 1,000 + 26,000 × 2,500 + 17,850 × 300 = 96,305,000 VND. The day before does not count.
    { time: t("2025-03-03T14:45:00+07:00"), symbol: "HPG", open: 25_000, high: 25_000, low: 25_000, close: 25_000, volume: 9_999_900 },
    { time: t("2025-03-04T09:15:00+07:00"), symbol: "HPG", open: 25_950, high: 25_950, low: 25_950, close: 25_950, volume: 1_000 },
    { time: t("2025-03-04T09:16:00+07:00"), symbol: "HPG", open: 26_000, high: 26_000, low: 26_000, close: 26_000, volume: 2_500 },
    { time: t("2025-03-04T09:15:00+07:00"), symbol: "HSG", open: 17_850, high: 17_850, low: 17_850, close: 17_850, volume: 300 },
    { time: t("2025-03-04T09:15:00+07:00"), symbol: "SHS", open: 12_300, high: 12_300, low: 12_300, close: 12_300, volume: 700 },
  ]);
  // UPCOM has only an end-of-day bar: 7,100 × 123,456 = 876,537,600 VND.
  await ingestDailyBars(db.pool, [{ time: t("2025-03-04T00:00:00+07:00"), symbol: "OLD", open: 7000, high: 7200, low: 6900, close: 7100, volume: 123_456 }]);
});

const now = () => t("2025-03-04T10:00:00+07:00");
const HOSE = {
  market: "HOSE",
  vn_index: 1262.33,
  vn_index_change_pct: 0.95,
  dxy: null,
  foreign_net_flow: null,
  market_liquidity: 96_305_000,
  timestamp: "2025-03-04T09:16:00+07:00",
};

describe("computeSnapshot", () => {
  it("VN-Index, its change on the previous close, and the market's latest-session traded value", async () => {
    // (1262.33 − 1250.5) / 1250.5 = 0.946 % → 0.95.
    expect(await computeSnapshot(db.pool, "HOSE", now)).toEqual(HOSE);
    expect(await computeSnapshot(db.pool, "HNX", now)).toMatchObject({ market: "HNX", vn_index: 1262.33, market_liquidity: 8_610_000 });
    expect(await computeSnapshot(db.pool, "UPCOM", now)).toMatchObject({ market_liquidity: 876_537_600 });
  });

  it("says null for what it does not know, and still answers on an empty database", async () => {
    const empty = await computeSnapshot({ query: async () => ({ rows: [] }) }, "HOSE", now);
    expect(empty).toEqual({ market: "HOSE", vn_index: null, vn_index_change_pct: null, dxy: null, foreign_net_flow: null, market_liquidity: null, timestamp: "2025-03-04T10:00:00+07:00" });
  });
});

describe("getSnapshot with the in-process cache", () => {
  it("computes once, then serves from memory until the TTL passes", async () => {
    let clock = Date.parse("2025-03-04T03:00:00Z");
    const cache = new MemoryCache(() => clock);
    expect((await getSnapshot(db.pool, cache, "HOSE")).source).toBe("database");
    expect(await getSnapshot(db.pool, cache, "HOSE")).toEqual({ ...HOSE, source: "memory" });
    clock += SNAPSHOT_TTL_SECONDS * 1000;
    expect((await getSnapshot(db.pool, cache, "HOSE")).source).toBe("database");
  });

  it("recomputes when the cached value is not a snapshot", async () => {
    const cache = new MemoryCache();
    await cache.set(snapshotKey("HOSE"), "{not json", 60);
    expect((await getSnapshot(db.pool, cache, "HOSE")).source).toBe("database");
    await cache.set(snapshotKey("HNX"), JSON.stringify({ ...HOSE, market: "HOSE" }), 60);
    expect(await getSnapshot(db.pool, cache, "HNX")).toMatchObject({ market: "HNX", source: "database" });
  });
});

// Needs a Redis server: set REDIS_URL (e.g. redis://127.0.0.1:6379) to run these.
describe.skipIf(!REDIS_URL)("getSnapshot with Redis (REDIS_URL)", () => {
  it("stores market:snapshot:{market} with a 60 s TTL and serves it from Redis", async () => {
    const cache = new RedisCache(REDIS_URL!);
    const direct = new Redis(REDIS_URL!);
    try {
      await direct.del(snapshotKey("UPCOM"));
      expect((await getSnapshot(db.pool, cache, "UPCOM")).source).toBe("database");
      const ttl = await direct.ttl(snapshotKey("UPCOM"));
      expect(ttl).toBeGreaterThan(55);
      expect(ttl).toBeLessThanOrEqual(60);
      const stored = JSON.parse((await direct.get(snapshotKey("UPCOM")))!);
      expect(Object.keys(stored)).toEqual(expect.arrayContaining(["vn_index", "dxy", "foreign_net_flow", "market_liquidity", "timestamp"]));
      expect(await getSnapshot(db.pool, cache, "UPCOM")).toMatchObject({ source: "redis", market_liquidity: 876_537_600 });
    } finally {
      await direct.del(snapshotKey("UPCOM"));
      direct.disconnect();
      await cache.close();
    }
  });
});

if (!REDIS_URL) console.log("[snapshot.test] REDIS_URL is not set: the Redis tests are skipped.");
if (!hasRedisServer) console.log("[snapshot.test] redis-server is not installed: the Redis-outage test is skipped.");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
  probe.on("error", () => {});
  await probe.connect().catch(() => {});
  await probe.ping();
  probe.disconnect();
  return child;
}

// A redis-server of its own (started and killed here), so the shared one is never stopped.
describe.skipIf(!hasRedisServer)("Redis going down mid-run", () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill("SIGKILL");
  });

  it("keeps serving from the database, logs the outage once and the recovery once", async () => {
    const port = await freePort();
    server = await startRedis(port);
    const lines: string[] = [];
    const cache = new RedisCache(`redis://127.0.0.1:${port}`, (line) => lines.push(line));
    try {
      expect((await getSnapshot(db.pool, cache, "HOSE")).source).toBe("database");
      expect((await getSnapshot(db.pool, cache, "HOSE")).source).toBe("redis");

      server.kill("SIGKILL");
      await new Promise((r) => server!.once("exit", r));
      for (let i = 0; i < 5; i++) expect(await getSnapshot(db.pool, cache, "HOSE")).toEqual({ ...HOSE, source: "database" });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/Redis is unavailable .* serving from the database/);

      server = await startRedis(port);
      let source = "";
      for (let i = 0; i < 50 && source !== "redis"; i++) {
        source = (await getSnapshot(db.pool, cache, "HOSE")).source;
        if (source !== "redis") await new Promise((r) => setTimeout(r, 100));
      }
      expect(source).toBe("redis");
      expect(lines).toEqual([lines[0], "[cache] Redis is back; caching again."]);
    } finally {
      await cache.close();
    }
  });
});
