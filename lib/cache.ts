/**
 * A small key/value cache with a TTL: Redis when REDIS_URL is set (shared by every app instance), an
 * in-process Map otherwise. A cache never breaks a request: when Redis is unreachable, get() answers
 * a miss and set() does nothing, so callers compute from the database; the outage is logged once, and
 * the recovery once.
 */
import { Redis } from "ioredis";

export interface Cache {
  /** "redis" or "memory": where a hit came from. */
  readonly kind: "redis" | "memory";
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Resolves when the cache answers; rejects with the reason otherwise (the health check's probe). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryCache implements Cache {
  readonly kind = "memory" as const;
  private readonly entries = new Map<string, { value: string; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expires: this.now() + ttlSeconds * 1000 });
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }
}

export type Log = (line: string) => void;

export class RedisCache implements Cache {
  readonly kind = "redis" as const;
  private readonly redis: Redis;
  private down = false;

  constructor(
    url: string,
    private readonly log: Log = (line) => console.warn(line),
    opts: { commandTimeoutMs?: number } = {},
  ) {
    this.redis = new Redis(url, {
      lazyConnect: true,
      // Fail fast while disconnected instead of queueing requests behind a dead server.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      commandTimeout: opts.commandTimeoutMs ?? 500,
      // Keep trying in the background, at most every 2 s: the cache comes back by itself.
      retryStrategy: (times) => Math.min(100 * 2 ** times, 2_000),
    });
    // ioredis emits 'error' on every failed reconnect; the outage is reported by the methods, once.
    this.redis.on("error", () => {});
    this.redis.connect().catch(() => {});
  }

  private failed(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.log(`[cache] Redis is unavailable (${(error as Error).message}); serving from the database until it is back.`);
  }

  private ok(): void {
    if (!this.down) return;
    this.down = false;
    this.log("[cache] Redis is back; caching again.");
  }

  /** The first requests wait for the first connection (briefly); later outages fail fast. */
  private async firstConnection(): Promise<void> {
    const status = this.redis.status;
    if (status !== "wait" && status !== "connecting" && status !== "connect") return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.redis.off("ready", done);
        resolve();
      };
      const timer = setTimeout(done, 1_000);
      this.redis.once("ready", done);
    });
  }

  async get(key: string): Promise<string | undefined> {
    try {
      await this.firstConnection();
      const value = await this.redis.get(key);
      this.ok();
      return value ?? undefined;
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await this.firstConnection();
      await this.redis.set(key, value, "EX", ttlSeconds);
      this.ok();
    } catch (error) {
      this.failed(error);
    }
  }

  async ping(): Promise<void> {
    await this.firstConnection();
    const pong = await this.redis.ping();
    if (pong !== "PONG") throw new Error(`unexpected PING answer ${pong}`);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

// Kept on globalThis so that `next dev` reloading this module does not open a connection per reload.
const shared = globalThis as { __quantflowCache?: Cache };

/** The app's cache: Redis on `redisUrl` when given, the in-process one otherwise (created on first use). */
export function appCache(redisUrl: string | undefined): Cache {
  shared.__quantflowCache ??= redisUrl ? new RedisCache(redisUrl) : new MemoryCache();
  return shared.__quantflowCache;
}
