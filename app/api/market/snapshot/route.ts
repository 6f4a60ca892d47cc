/** GET /api/market/snapshot?market=HOSE|HNX|UPCOM: the shell's market strip (lib/market/snapshot.ts). */
import { z } from "zod";
import { json, withSessionUser } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { appCache } from "@/lib/cache";
import { env } from "@/lib/env";
import { getSnapshot, SNAPSHOT_MARKETS } from "@/lib/market/snapshot";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const querySchema = z.object({
  market: z.enum(SNAPSHOT_MARKETS, { error: (i) => `Unknown market ${JSON.stringify(i.input)}: use one of ${SNAPSHOT_MARKETS.join(", ")}` }).default("HOSE"),
});

export const GET = withSessionUser(async (request) => {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, 400);
  return json(await getSnapshot(getPool(), appCache(env().REDIS_URL), parsed.data.market));
});
