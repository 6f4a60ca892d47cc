/**
 * lib/health against real servers: this run's PostgreSQL, Redis when REDIS_URL is set (CI sets it),
 * closed ports for unreachable servers, and a local HTTP endpoint for Qdrant's readiness probe (no
 * Qdrant server is installed here; the endpoint checks the api-key header the way Qdrant does).
 */
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "@/test/db";
import { env } from "./env";
import { checkHealth, httpStatusOf } from "./health";

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
