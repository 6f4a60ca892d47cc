/** GET /api/market/board: the price board of the charts index (lib/market/board.ts), cached for 15 s. */
import { json, withSessionUser } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { appCache } from "@/lib/cache";
import { env } from "@/lib/env";
import { getBoard } from "@/lib/market/board";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withSessionUser(async () => json(await getBoard(getPool(), appCache(env().REDIS_URL))));
