/**
 * PATCH /api/value-chain/edges/{id} { any of sourceId, targetId, relationship, correlationCoeff,
 * leadTimeDays, weight }: changes an edge (the rules hold for the edge as changed); DELETE removes it
 * with its analysis history. Admins only (403 otherwise); 404 for an unknown id; 400 { error } with
 * the reason, nothing changed, when a rule is broken.
 */
import { json, withSharedDataWriter } from "@/app/_lib/route";
import { edgeJson, readJsonBody, valueChainErrorResponse } from "@/app/_lib/value-chain-json";
import { getDb } from "@/db/client";
import { deleteEdge, updateEdge } from "@/lib/valuechain/edit";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export const PATCH = withSharedDataWriter<Ctx>(async (request, user, { params }) => {
  const read = await readJsonBody(request, "the fields to change { sourceId?, targetId?, relationship?, correlationCoeff?, leadTimeDays?, weight? }");
  if ("response" in read) return read.response;
  try {
    return json({ edge: edgeJson(await updateEdge(getDb(), user.id, (await params).id, read.body)) });
  } catch (error) {
    return valueChainErrorResponse(error);
  }
});

export const DELETE = withSharedDataWriter<Ctx>(async (_request, user, { params }) => {
  try {
    return json({ deleted: await deleteEdge(getDb(), user.id, (await params).id) });
  } catch (error) {
    return valueChainErrorResponse(error);
  }
});
