/**
 * lib/health against real servers: this run's PostgreSQL, Redis when REDIS_URL is set (CI sets it),
 * closed ports for unreachable servers, and a local HTTP endpoint for Qdrant's readiness probe (no
 * Qdrant server is installed here; the endpoint checks the api-key header the way Qdrant does).
 */
import http from "node:http";
import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "@/test/db";
import { RedisCache } from "./cache";
import { env } from "./env";
import { cachedHealth, checkHealth, httpStatusOf, publicHealth } from "./health";

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("checkHealth: PostgreSQL", () => {
  it("reports the test database reachable with a latency, status ok, HTTP 200", async () => {
    const health = await checkHealth({ databaseUrl: testDatabaseUrl() });
    expect(health.database).toEqual({ configured: true, reachable: true, latencyMs: expect.any(Number) });
    expect(health.redis).toEqual({ configured: false });
    expect(health.qdrant).toEqual({ configured: false });
    expect(health.memory).toEqual({ store: "postgres", embedder: { kind: "lexical", model: "quantflow-lexical-v1" } });
    expect(health.status).toBe("ok");
    expect(httpStatusOf(health)).toBe(200);
  });

  it("reports a closed port unreachable within the timeout, HTTP 503, without the password", async () => {
    const port = await closedPort();
    const started = Date.now();
    const health = await checkHealth({ databaseUrl: `postgresql://qf:s3cret-pass@127.0.0.1:${port}/x`, timeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(health.database.reachable).toBe(false);
    expect(health.database.error).toMatch(/ECONNREFUSED/);
    expect(health.status).toBe("degraded");
    expect(httpStatusOf(health)).toBe(503);
    expect(JSON.stringify(health)).not.toContain("s3cret-pass");
  });

  it("reports a wrong password without echoing it", async () => {
    const url = new URL(testDatabaseUrl());
    url.username = "qf_no_such_user";
    url.password = "wrong-pass-123";
    const health = await checkHealth({ databaseUrl: url.toString() });
    expect(health.database.reachable).toBe(false);
    expect(JSON.stringify(health)).not.toContain("wrong-pass-123");
  });

  it("reports an unset DATABASE_URL as not configured and not reachable", async () => {
    const health = await checkHealth({});
    expect(health.database).toEqual({ configured: false, reachable: false, error: "DATABASE_URL is not set" });
    expect(httpStatusOf(health)).toBe(503);
  });
});

const redisUrl = env().REDIS_URL;
if (!redisUrl) console.warn("[lib/health.test] REDIS_URL is not set: skipping the check against a live Redis (.ci/run sets it).");

describe("checkHealth: Redis", () => {
  it.skipIf(!redisUrl)("reports the live Redis of REDIS_URL reachable (skipped when REDIS_URL is unset)", async () => {
    const health = await checkHealth({ databaseUrl: testDatabaseUrl(), redisUrl });
    expect(health.redis).toEqual({ configured: true, reachable: true, latencyMs: expect.any(Number) });
    expect(health.status).toBe("ok");
  });

  it("reports a closed port unreachable, status degraded but HTTP 200 while the database is up", async () => {
    const port = await closedPort();
    const started = Date.now();
    const health = await checkHealth({ databaseUrl: testDatabaseUrl(), redisUrl: `redis://:r3dis-pass@127.0.0.1:${port}`, timeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(health.redis.configured).toBe(true);
    expect(health.redis.reachable).toBe(false);
    expect(health.redis.error).toBeTruthy();
    expect(health.status).toBe("degraded");
    expect(httpStatusOf(health)).toBe(200);
    expect(JSON.stringify(health)).not.toContain("r3dis-pass");
  });
});

describe("checkHealth: Qdrant", () => {
  let server: http.Server;
  let base = "";
  const seenKeys: (string | undefined)[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const key = req.headers["api-key"] as string | undefined;
      seenKeys.push(key);
      if (key !== "q-key-456") {
        res.writeHead(401).end("unauthorized");
      } else if (req.url === "/readyz") {
        res.writeHead(200).end("all shards are ready");
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("probes /readyz with the api-key header", async () => {
    const health = await checkHealth({ databaseUrl: testDatabaseUrl(), qdrantUrl: `${base}/`, qdrantApiKey: "q-key-456" });
    expect(health.qdrant).toEqual({ configured: true, reachable: true, latencyMs: expect.any(Number) });
    // With QDRANT_URL set, memories live in Qdrant; the embedder named is the one configured.
    expect(health.memory.store).toBe("qdrant");
    const remote = await checkHealth({ databaseUrl: testDatabaseUrl(), memoryEmbedder: { kind: "remote", model: "text-embedding-3-small" } });
    expect(remote.memory).toEqual({ store: "postgres", embedder: { kind: "remote", model: "text-embedding-3-small" } });
    expect(seenKeys.at(-1)).toBe("q-key-456");
  });

  it("reports a refused key as unreachable without echoing the key", async () => {
    const health = await checkHealth({ databaseUrl: testDatabaseUrl(), qdrantUrl: base, qdrantApiKey: "wrong-key-789" });
    expect(health.qdrant).toEqual({ configured: true, reachable: false, error: "HTTP 401" });
    expect(JSON.stringify(health)).not.toContain("wrong-key-789");
  });

  it("reports a closed port unreachable", async () => {
    const port = await closedPort();
    const health = await checkHealth({ databaseUrl: testDatabaseUrl(), qdrantUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 });
    expect(health.qdrant.reachable).toBe(false);
    expect(health.qdrant.error).toMatch(/ECONNREFUSED/);
    expect(health.status).toBe("degraded");
  });
});

describe("the app's health check (issue 9, item 3)", () => {
  it("checks through the app's pool: a flood of checks opens no connection of its own", async () => {
    const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    try {
      let queries = 0;
      const counting = { query: (sql: string) => (queries++, pool.query(sql)) };
      const answers = await Promise.all(Array.from({ length: 100 }, () => checkHealth({ databaseUrl: testDatabaseUrl(), pool: counting })));
      expect(answers.every((h) => h.database.reachable)).toBe(true);
      expect(queries).toBe(100);
      expect(pool.totalCount).toBeLessThanOrEqual(2);
    } finally {
      await pool.end();
    }
  });

  it("reports the pool's outage without the password", async () => {
    const port = await closedPort();
    const url = `postgresql://qf:p00l-pass@127.0.0.1:${port}/x`;
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 500 });
    try {
      const health = await checkHealth({ databaseUrl: url, pool });
      expect(health.database.reachable).toBe(false);
      expect(httpStatusOf(health)).toBe(503);
      expect(JSON.stringify(health)).not.toContain("p00l-pass");
    } finally {
      await pool.end();
    }
  });

  it.skipIf(!redisUrl)("pings Redis through the app's cache connection (skipped when REDIS_URL is unset)", async () => {
    const cache = new RedisCache(redisUrl!);
    try {
      const health = await checkHealth({ databaseUrl: testDatabaseUrl(), redisUrl, cache });
      expect(health.redis).toEqual({ configured: true, reachable: true, latencyMs: expect.any(Number) });
    } finally {
      await cache.close();
    }
  });

  it("reports the cache connection's outage", async () => {
    const port = await closedPort();
    const cache = new RedisCache(`redis://127.0.0.1:${port}`, () => undefined);
    try {
      const health = await checkHealth({ databaseUrl: testDatabaseUrl(), redisUrl: `redis://127.0.0.1:${port}`, cache, timeoutMs: 1500 });
      expect(health.redis.reachable).toBe(false);
      expect(health.status).toBe("degraded");
    } finally {
      await cache.close();
    }
  });

  it("tells anonymous callers reachable or not, never the host or port of a failing server", async () => {
    const port = await closedPort();
    const health = await checkHealth({ databaseUrl: `postgresql://qf@127.0.0.1:${port}/x`, timeoutMs: 1000 });
    expect(health.database.error).toContain(String(port)); // the signed-in answer keeps the detail
    const anonymous = publicHealth(health);
    expect(anonymous.database).toEqual({ configured: true, reachable: false, error: "not reachable" });
    expect(JSON.stringify(anonymous)).not.toContain(String(port));
    expect(JSON.stringify(anonymous)).not.toContain("127.0.0.1");
    expect(anonymous.status).toBe("degraded");
  });

  it("coalesces concurrent callers into one check and reuses the answer for the period", async () => {
    let t = 0;
    let checks = 0;
    const probe = cachedHealth(
      async () => {
        checks++;
        await new Promise((r) => setTimeout(r, 20));
        return checkHealth({});
      },
      2_000,
      () => t,
    );
    await Promise.all(Array.from({ length: 200 }, () => probe()));
    expect(checks).toBe(1);
    t = 1_999;
    await probe();
    expect(checks).toBe(1);
    t = 2_000;
    await probe();
    expect(checks).toBe(2);
  });

  it("does not keep serving a check that threw", async () => {
    let calls = 0;
    const probe = cachedHealth(async () => {
      calls++;
      if (calls === 1) throw new Error("boom");
      return checkHealth({});
    });
    await expect(probe()).rejects.toThrow("boom");
    await expect(probe()).resolves.toMatchObject({ status: "degraded" });
    expect(calls).toBe(2);
  });
});
