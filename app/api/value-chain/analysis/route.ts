/**
 * POST /api/value-chain/analysis { windowYears?, maxLag?, asOf? } (as for one edge): recomputes every
 * edge of the chain. The successful ones are stored together in one transaction (a failure while storing
 * stores none); an edge that cannot be analysed (an end without a symbol or without bars, too few common
 * days, …) keeps its values and says why. Answers { windowYears, maxLag, asOf, edges: [{ edgeId, ok: true,
 * …result } | { edgeId, ok: false, code, error }] } in the chain's edge order. Admins only (403 otherwise);
 * 400 { error } for bad options.
 */
import { json, withSharedDataWriter } from "@/app/_lib/route";
import { readOptionalJsonBody, recomputedJson, valueChainErrorResponse } from "@/app/_lib/value-chain-json";
import { getDb } from "@/db/client";
import { recomputeChain } from "@/lib/valuechain/recompute";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = withSharedDataWriter(async (request, user) => {
  const read = await readOptionalJsonBody(request, "the options { windowYears?, maxLag?, asOf? }");
  if ("response" in read) return read.response;
  try {
    const { window, edges } = await recomputeChain(getDb(), read.body, { userId: user.id });
    return json({
      windowYears: window.windowYears,
      maxLag: window.maxLag,
      asOf: window.asOf,
      edges: edges.map((o) => (o.ok ? { ok: true as const, ...recomputedJson(o) } : { edgeId: o.edgeId, ok: false as const, code: o.code, error: o.error })),
    });
  } catch (error) {
    return valueChainErrorResponse(error);
  }
});
