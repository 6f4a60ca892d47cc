/**
 * A JSON value through the cache (lib/cache.ts): the cached one when it is fresh and of the expected shape,
 * else computed and stored. Apart from cache.ts so that modules the browser bundle reaches (the snapshot's
 * markets are read by a workflow node's form) do not pull the Redis client in.
 */
import type { z } from "zod";
import type { Cache } from "./cache";

/**
 * The cached JSON value of `key` when it is fresh and of `schema`'s shape (and `accept` takes it), else
 * `compute()`'s, stored for `ttlSeconds`; says where it came from. A value something else wrote under the
 * key (or an older shape) is recomputed rather than served.
 */
export async function cachedJson<S extends z.ZodType>(
  cache: Cache,
  key: string,
  ttlSeconds: number,
  schema: S,
  compute: () => Promise<z.infer<S>>,
  accept: (value: z.infer<S>) => boolean = () => true,
): Promise<{ value: z.infer<S>; source: Cache["kind"] | "database" }> {
  const cached = await cache.get(key);
  if (cached !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(cached);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success && accept(parsed.data)) return { value: parsed.data, source: cache.kind };
  }
  const value = await compute();
  await cache.set(key, JSON.stringify(value), ttlSeconds);
  return { value, source: "database" };
}
