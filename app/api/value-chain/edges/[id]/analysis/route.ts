/**
 * POST /api/value-chain/edges/{id}/analysis { windowYears?: 1 | 3 | 5, maxLag?: 1…250, asOf?: "YYYY-MM-DD" }
 * (defaults: 3 years, 20, the latest trading day the data has): recomputes the edge's lead-lag from the
 * daily closes of its two ends, stores it (a history row, and the edge's correlation_coeff, lead_time_days
 * and weight) and answers it (app/_lib/value-chain-json.ts recomputedJson). Admins only (403 otherwise);
 * 404 for an unknown edge; 400 { error } with the reason, nothing stored, when the edge cannot be analysed.
 */
import { json, withSharedDataWriter } from "@/app/_lib/route";
import { readOptionalJsonBody, recomputedJson, valueChainErrorResponse } from "@/app/_lib/value-chain-json";
import { getDb } from "@/db/client";
import { recomputeEdge } from "@/lib/valuechain/recompute";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ id: string }> };

export const POST = withSharedDataWriter<Ctx>(async (request, user, { params }) => {
  const read = await readOptionalJsonBody(request, "the options { windowYears?, maxLag?, asOf? }");
  if ("response" in read) return read.response;
  const edgeId = (await params).id;
  try {
    const { result, analysis } = await recomputeEdge(getDb(), edgeId, read.body, { userId: user.id });
    return json(recomputedJson({ edgeId, ok: true, result, analysis }));
  } catch (error) {
    return valueChainErrorResponse(error);
  }
});
