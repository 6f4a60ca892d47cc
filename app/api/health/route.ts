/**
 * GET /api/health: the database (required), Redis and Qdrant (optional), each reachable or not, and
 * which memory store (Qdrant or PostgreSQL) and embedder are in use.
 * Checked through the app's own pool and cache connection, at most once every two seconds whatever the
 * number of callers; anonymous callers get the answer without error details.
 */
import { NextResponse } from "next/server";
import { getPool } from "@/db/client";
import { appCache } from "@/lib/cache";
import { env } from "@/lib/env";
import { cachedHealth, checkHealth, httpStatusOf, publicHealth } from "@/lib/health";
import { memoryConfiguration } from "@/lib/memory/app";
import { getSessionUser } from "@/app/_lib/session";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const probe = cachedHealth(() => {
  const e = env();
  return checkHealth({
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    qdrantUrl: e.QDRANT_URL,
    qdrantApiKey: e.QDRANT_API_KEY,
    pool: e.DATABASE_URL ? getPool() : undefined,
    cache: e.REDIS_URL ? appCache(e.REDIS_URL) : undefined,
    memoryEmbedder: memoryConfiguration(e).embedder,
  });
});

export async function GET(request: Request) {
  const health = await probe();
  // During an outage the session cannot be looked up: answer as to an anonymous caller.
  const user = await getSessionUser(request).catch(() => null);
  return NextResponse.json(user ? health : publicHealth(health), { status: httpStatusOf(health), headers: { "cache-control": "no-store" } });
}
