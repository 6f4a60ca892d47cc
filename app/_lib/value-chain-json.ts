/**
 * The value chain as the JSON routes answer it (app/api/value-chain/**): lib/valuechain's objects with
 * every instant in Vietnam time (+07:00), and its refusals as 400/404 with the reason.
 */
import type { ChainChange } from "@/lib/valuechain/changes";
import { ValueChainError } from "@/lib/valuechain/errors";
import type { ChainEdge, ChainNode, EdgeAnalysis } from "@/lib/valuechain/read";
import { toVnIso } from "@/lib/time";
import { json } from "./route";

const vn = (d: Date | null) => (d ? toVnIso(d) : null);

export function nodeJson(n: ChainNode) {
  return {
    id: n.id,
    symbol: n.symbol,
    name: n.name,
    sector: n.sector,
    nodeType: n.nodeType,
    description: n.description,
    createdAt: vn(n.createdAt),
    market: n.market && { close: n.market.close, previousClose: n.market.previousClose, changePct: n.market.changePct, asOf: toVnIso(n.market.asOf) },
  };
}

export function analysisJson(a: EdgeAnalysis) {
  return {
    id: a.id,
    computedAt: toVnIso(a.computedAt),
    computedBy: a.computedBy,
    windowYears: a.windowYears,
    asOf: a.asOf,
    maxLag: a.maxLag,
    n: a.n,
    leadTimeDays: a.leadTimeDays,
    correlation: a.correlation,
    significant: a.significant,
    band: a.band,
    plainBand: a.plainBand,
    weight: a.weight,
    lags: a.lags,
  };
}

export function edgeJson(e: ChainEdge) {
  return {
    id: e.id,
    sourceId: e.sourceId,
    targetId: e.targetId,
    relationship: e.relationship,
    correlationCoeff: e.correlationCoeff,
    leadTimeDays: e.leadTimeDays,
    weight: e.weight,
    createdAt: vn(e.createdAt),
    updatedAt: vn(e.updatedAt),
    latestAnalysis: e.latestAnalysis && analysisJson(e.latestAnalysis),
  };
}

export function changeJson(c: ChainChange) {
  return { ...c, changedAt: toVnIso(c.changedAt) };
}

/** A ValueChainError as its 400/404 answer; other errors go on (a database outage becomes a 503 upstream). */
export function valueChainErrorResponse(error: unknown) {
  if (error instanceof ValueChainError) return json({ error: error.message }, error.status);
  throw error;
}

/** The request's JSON body, or a 400 saying what to send (its fields are lib/valuechain's zod schemas' business). */
export async function readJsonBody(request: Request, what: string): Promise<{ body: unknown } | { response: Response }> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { response: json({ error: `Send ${what} as a JSON object.` }, 400) };
  }
  return { body };
}
