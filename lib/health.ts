/**
 * Health of QuantFlow's backing services: PostgreSQL (required), Redis and Qdrant (optional). Each
 * check has a short timeout; answers never carry URLs, passwords or API keys.
 */
import { Redis } from "ioredis";
import pg from "pg";

export interface ServiceHealth {
  configured: boolean;
  /** Absent for an optional service that is not configured. */
  reachable?: boolean;
  latencyMs?: number;
  error?: string;
}

export interface Health {
  status: "ok" | "degraded";
  database: ServiceHealth & { configured: boolean; reachable: boolean };
  redis: ServiceHealth;
  qdrant: ServiceHealth;
}

export interface HealthConfig {
  databaseUrl?: string;
  redisUrl?: string;
  qdrantUrl?: string;
  qdrantApiKey?: string;
  /** Per service (default 1000 ms). */
  timeoutMs?: number;
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
  return { status: database.reachable && optionalOk ? "ok" : "degraded", database, redis, qdrant };
}

/** The HTTP status for a health answer: 200 while the database is reachable, else 503. */
export function httpStatusOf(health: Health): 200 | 503 {
  return health.database.reachable ? 200 : 503;
}
