/**
 * The value chain as the JSON routes answer it (app/api/value-chain/**): lib/valuechain's objects with
 * every instant in Vietnam time (+07:00), and its refusals as 400/404 with the reason.
 */
import type { ChainChange } from "@/lib/valuechain/changes";
import { ValueChainError } from "@/lib/valuechain/errors";
import type { ChainEdge, ChainNode, EdgeAnalysis } from "@/lib/valuechain/read";
import type { EdgeRecomputeOutcome } from "@/lib/valuechain/recompute";
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

/**
 * A recomputed edge as both recompute routes answer it: the contract's { n, leadTimeDays, correlation,
 * significant, band, lags: [{ k, rho }] } (band: the corrected half-width), plus the stored row's id and
 * time, the plain band, the weight and the window that was analysed.
 */
export function recomputedJson(outcome: Extract<EdgeRecomputeOutcome, { ok: true }>) {
  const { result: r, analysis: a } = outcome;
  return {
    edgeId: outcome.edgeId,
    n: r.n,
    leadTimeDays: r.leadTimeDays,
    correlation: r.correlation,
    significant: r.significant,
    band: r.band.corrected,
    plainBand: r.band.plain,
    weight: r.weight,
    lags: r.lags.map((l) => ({ k: l.k, rho: l.rho, n: l.n })),
    analysisId: a.id,
    computedAt: toVnIso(a.computedAt),
    windowYears: r.windowYears,
    maxLag: r.maxLag,
    asOf: r.asOf,
    window: { from: r.from, firstDay: r.firstDay, lastDay: r.lastDay, days: r.days },
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

/** An optional JSON body: none (or only whitespace) is {}; anything else must parse. */
export async function readOptionalJsonBody(request: Request, what: string): Promise<{ body: unknown } | { response: Response }> {
  const text = await request.text();
  if (text.trim() === "") return { body: {} };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { response: json({ error: `Send ${what} as a JSON object, or no body for the defaults.` }, 400) };
  }
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
