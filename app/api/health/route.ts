/** GET /api/health: the database (required), Redis and Qdrant (optional), each reachable or not. */
import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { checkHealth, httpStatusOf } from "@/lib/health";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET() {
  const e = env();
  const health = await checkHealth({
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    qdrantUrl: e.QDRANT_URL,
    qdrantApiKey: e.QDRANT_API_KEY,
  });
  return NextResponse.json(health, { status: httpStatusOf(health), headers: { "cache-control": "no-store" } });
}
