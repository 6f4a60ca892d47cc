/**
 * Health of QuantFlow's backing services: PostgreSQL (required), Redis and Qdrant (optional). Each
 * check has a short timeout; answers never carry URLs, passwords or API keys.
 *
 * The app checks through its own pool and cache connection (`pool`, `cache`), coalesced and cached for
 * a moment (`cachedHealth`), so that anonymous callers of /api/health cannot open connections at will;
 * they get `publicHealth`, without error details (which may name hosts and ports).
 */
import { Redis } from "ioredis";
import pg from "pg";
import type { Cache } from "./cache";
import type { Queryable } from "./market/queryable";

export interface ServiceHealth {
  configured: boolean;
  /** Absent for an optional service that is not configured. */
  reachable?: boolean;
  latencyMs?: number;
  error?: string;
}

/** Where memories live and what embeds them (lib/memory/app.ts): names only, never URLs or keys. */
export interface MemoryHealth {
  store: "qdrant" | "postgres";
  embedder: { kind: "lexical" | "remote"; model: string };
}

export interface Health {
  status: "ok" | "degraded";
  database: ServiceHealth & { configured: boolean; reachable: boolean };
  redis: ServiceHealth;
  qdrant: ServiceHealth;
  /** Which memory store is in use: Qdrant when QDRANT_URL is set, else PostgreSQL. */
  memory: MemoryHealth;
}

export interface HealthConfig {
  databaseUrl?: string;
  redisUrl?: string;
  qdrantUrl?: string;
  qdrantApiKey?: string;
  /** Per service (default 1000 ms). */
  timeoutMs?: number;
  /** The app's pool: checked with one query instead of a connection of its own. */
  pool?: Queryable;
  /** The app's cache connection (when it is Redis): pinged instead of opening a connection. */
  cache?: Pick<Cache, "kind" | "ping">;
  /** The memory store's embedder; default the local lexical one. */
  memoryEmbedder?: MemoryHealth["embedder"];
}

/** Masks every secret-looking part of `config` (URL passwords, the API key) in an error message. */
function scrub(message: string, config: HealthConfig): string {
  let out = message;
  const secrets: string[] = [];
  for (const url of [config.databaseUrl, config.redisUrl, config.qdrantUrl]) {
    if (!url) continue;
    try {
      const u = new URL(url);
      if (u.password) secrets.push(u.password, decodeURIComponent(u.password));
    } catch {
      /* not a URL: nothing to pick out */
    }
    secrets.push(url);
  }
  if (config.qdrantApiKey) secrets.push(config.qdrantApiKey);
  for (const s of secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) out = out.split(s).join("*****");
  return out.length > 300 ? `${out.slice(0, 300)}…` : out;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) {
    const agg = err as Error & { errors?: unknown[]; code?: string };
    if (!err.message && Array.isArray(agg.errors) && agg.errors[0] instanceof Error) return agg.errors[0].message;
    return err.message || agg.code || err.name;
  }
  return String(err);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function checkDatabase(config: HealthConfig, timeoutMs: number): Promise<Health["database"]> {
  if (!config.databaseUrl) return { configured: false, reachable: false, error: "DATABASE_URL is not set" };
  const started = performance.now();
  if (config.pool) {
    const pool = config.pool;
    try {
      await withTimeout(pool.query("SELECT 1"), timeoutMs, "PostgreSQL");
      return { configured: true, reachable: true, latencyMs: Math.round(performance.now() - started) };
    } catch (err) {
      return { configured: true, reachable: false, error: scrub(messageOf(err), config) };
    }
  }
  const client = new pg.Client({
    connectionString: config.databaseUrl,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: "quantflow-health",
  });
  client.on("error", () => undefined);
  try {
    await withTimeout(
      (async () => {
        await client.connect();
        await client.query("SELECT 1");
      })(),
      timeoutMs,
      "PostgreSQL",
    );
    return { configured: true, reachable: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { configured: true, reachable: false, error: scrub(messageOf(err), config) };
  } finally {
    void client.end().catch(() => undefined);
  }
}

async function checkRedis(config: HealthConfig, timeoutMs: number): Promise<ServiceHealth> {
  if (!config.redisUrl) return { configured: false };
  const started = performance.now();
  if (config.cache?.kind === "redis") {
    try {
      await withTimeout(config.cache.ping(), timeoutMs, "Redis");
      return { configured: true, reachable: true, latencyMs: Math.round(performance.now() - started) };
    } catch (err) {
      return { configured: true, reachable: false, error: scrub(messageOf(err), config) };
    }
  }
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined);
  try {
    await withTimeout(
      (async () => {
        await redis.connect();
        const pong = await redis.ping();
        if (pong !== "PONG") throw new Error(`unexpected PING answer ${pong}`);
      })(),
      timeoutMs,
      "Redis",
    );
    return { configured: true, reachable: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { configured: true, reachable: false, error: scrub(messageOf(err), config) };
  } finally {
    redis.disconnect();
  }
}

async function checkQdrant(config: HealthConfig, timeoutMs: number): Promise<ServiceHealth> {
  if (!config.qdrantUrl) return { configured: false };
  const started = performance.now();
  const base = config.qdrantUrl.replace(/\/+$/, "");
  const headers: Record<string, string> = config.qdrantApiKey ? { "api-key": config.qdrantApiKey } : {};
  try {
    let res = await fetch(`${base}/readyz`, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (res.status === 404) res = await fetch(`${base}/`, { headers, signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    if (!res.ok) return { configured: true, reachable: false, error: `HTTP ${res.status}` };
    return { configured: true, reachable: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    const e = err as Error & { cause?: unknown };
    const detail = e.name === "TimeoutError" ? `Qdrant did not answer within ${timeoutMs} ms` : e.cause ? messageOf(e.cause) : messageOf(e);
    return { configured: true, reachable: false, error: scrub(detail, config) };
  }
}

/**
 * Checks every service in parallel. `status` is "ok" when the database and every configured optional
 * service are reachable, else "degraded"; the app can serve (HTTP 200) as long as the database is.
 */
export async function checkHealth(config: HealthConfig): Promise<Health> {
  const timeoutMs = config.timeoutMs ?? 1000;
  const [database, redis, qdrant] = await Promise.all([
    checkDatabase(config, timeoutMs),
    checkRedis(config, timeoutMs),
    checkQdrant(config, timeoutMs),
  ]);
  const optionalOk = [redis, qdrant].every((s) => !s.configured || s.reachable);
  const memory: MemoryHealth = {
    store: config.qdrantUrl ? "qdrant" : "postgres",
    embedder: config.memoryEmbedder ?? { kind: "lexical", model: "quantflow-lexical-v1" },
  };
  return { status: database.reachable && optionalOk ? "ok" : "degraded", database, redis, qdrant, memory };
}

/** The HTTP status for a health answer: 200 while the database is reachable, else 503. */
export function httpStatusOf(health: Health): 200 | 503 {
  return health.database.reachable ? 200 : 503;
}

/**
 * What an anonymous caller sees: reachable or not, without the error's text (it may name a host, a
 * port or a user). Signed-in users get the whole answer.
 */
export function publicHealth(health: Health): Health {
  const strip = <S extends ServiceHealth>(s: S): S => {
    if (s.error === undefined) return s;
    return { ...s, error: s.configured ? "not reachable" : "not configured" };
  };
  return { status: health.status, database: strip(health.database), redis: strip(health.redis), qdrant: strip(health.qdrant), memory: health.memory };
}

/**
 * `check` coalesced and cached for `ttlMs`: concurrent callers share one check in flight, and the
 * answer serves every caller until it is `ttlMs` old, so a flood of requests costs one check per period.
 */
export function cachedHealth(check: () => Promise<Health>, ttlMs = 2_000, now: () => number = Date.now): () => Promise<Health> {
  let last: { at: number; answer: Promise<Health> } | undefined;
  return () => {
    const t = now();
    if (!last || t - last.at >= ttlMs) {
      const answer = check();
      last = { at: t, answer };
      // A check that throws must not be served for the whole period.
      answer.catch(() => {
        if (last?.answer === answer) last = undefined;
      });
    }
    return last.answer;
  };
}
