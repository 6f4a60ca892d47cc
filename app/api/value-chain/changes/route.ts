/**
 * GET /api/value-chain/changes?limit=50&before=<id>: the chain's change log, newest first, a page at a
 * time, for any signed-in user: { changes: [...], nextBefore: id | null }; 400 for a bad limit or cursor.
 */
import { json, withSessionUser } from "@/app/_lib/route";
import { changeJson, valueChainErrorResponse } from "@/app/_lib/value-chain-json";
import { getDb } from "@/db/client";
import { listChanges } from "@/lib/valuechain/changes";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withSessionUser(async (request) => {
  const params = new URL(request.url).searchParams;
  try {
    const page = await listChanges(getDb(), { limit: params.get("limit") ?? undefined, before: params.get("before") ?? undefined });
    return json({ changes: page.changes.map(changeJson), nextBefore: page.nextBefore });
  } catch (error) {
    return valueChainErrorResponse(error);
  }
});
