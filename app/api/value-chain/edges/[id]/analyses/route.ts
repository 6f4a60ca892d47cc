/**
 * GET /api/value-chain/edges/{id}/analyses?limit=50: the edge's stored lead-lag analyses, newest first
 * (the history of its recomputations), for any signed-in user: { analyses: [...] } with times in
 * Vietnam time; 404 for an unknown edge, 400 for a bad limit.
 */
import { z } from "zod";
import { json, withSessionUser } from "@/app/_lib/route";
import { analysisJson } from "@/app/_lib/value-chain-json";
import { getDb } from "@/db/client";
import { listAnalyses } from "@/lib/valuechain/analyses";
import { getEdge } from "@/lib/valuechain/read";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

const limitSchema = z.coerce.number({ error: "limit must be a number" }).int("limit must be a whole number").min(1, "limit must be 1–200").max(200, "limit must be 1–200").default(50);

export const GET = withSessionUser<Ctx>(async (request, _user, { params }) => {
  const raw = new URL(request.url).searchParams.get("limit");
  const limit = limitSchema.safeParse(raw ?? undefined);
  if (!limit.success) return json({ error: limit.error.issues[0]!.message }, 400);
  const id = (await params).id;
  const db = getDb();
  if (!(await getEdge(db, id))) return json({ error: `There is no edge with id ${id}.` }, 404);
  const analyses = await listAnalyses(db, id, { limit: limit.data });
  return json({ analyses: analyses.map(analysisJson) });
});
