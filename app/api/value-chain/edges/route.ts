/**
 * POST /api/value-chain/edges { sourceId, targetId, relationship?, correlationCoeff?, leadTimeDays?,
 * weight? }: adds a link source → target (an admin: 403 otherwise). 201 { edge }; 400 { error } with the
 * reason and nothing stored for a self-loop, a second link with the same source, target and
 * relationship, an unknown node, a correlation outside [-1, 1]…
 */
import { json, withSharedDataWriter } from "@/app/_lib/route";
import { edgeJson, readJsonBody, valueChainErrorResponse } from "@/app/_lib/value-chain-json";
import { getDb } from "@/db/client";
import { createEdge } from "@/lib/valuechain/edit";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = withSharedDataWriter(async (request, user) => {
  const read = await readJsonBody(request, "the edge { sourceId, targetId, relationship?, correlationCoeff?, leadTimeDays?, weight? }");
  if ("response" in read) return read.response;
  try {
    return json({ edge: edgeJson(await createEdge(getDb(), user.id, read.body)) }, 201);
  } catch (error) {
    return valueChainErrorResponse(error);
  }
});
