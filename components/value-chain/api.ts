/**
 * The page's calls to /api/value-chain/** (README "Value chain API"): a refusal becomes an ApiError
 * carrying the server's reason in words, to be shown next to what caused it.
 */
import { isoDate } from "@/components/ui/datetime";
import type { AnalysisJson, ChainEdgeJson, ChainJson, ChainNodeJson, ChainRecomputeResult, ChangeJson, RecomputeResult } from "./types";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function call<T>(url: string, init?: { method?: string; body?: unknown }): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init?.method ?? "GET",
      headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
      body: init?.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError("QuantFlow could not be reached: check the connection and try again.", 0);
  }
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) {
    const reason = body.error ?? (res.status === 404 ? "it is gone (someone may have removed it)" : `the server answered ${res.status}`);
    throw new ApiError(reason, res.status);
  }
  return body as T;
}

export const CHAIN_KEY = ["value-chain"] as const;
export const CHANGES_KEY = ["value-chain", "changes"] as const;
export const historyKey = (edgeId: string) => ["value-chain", "analyses", edgeId] as const;

export const fetchChain = () => call<ChainJson>("/api/value-chain");
export const fetchChanges = (before?: number | null) =>
  call<{ changes: ChangeJson[]; nextBefore: number | null }>(`/api/value-chain/changes?limit=50${before ? `&before=${before}` : ""}`);
export const fetchHistory = (edgeId: string) => call<{ analyses: AnalysisJson[] }>(`/api/value-chain/edges/${encodeURIComponent(edgeId)}/analyses`);

export const createNode = (body: unknown) => call<{ node: ChainNodeJson }>("/api/value-chain/nodes", { method: "POST", body });
export const updateNode = (id: string, body: unknown) => call<{ node: ChainNodeJson }>(`/api/value-chain/nodes/${encodeURIComponent(id)}`, { method: "PATCH", body });
export const deleteNode = (id: string) => call<{ edgesRemoved: number }>(`/api/value-chain/nodes/${encodeURIComponent(id)}`, { method: "DELETE" });
export const createEdge = (body: unknown) => call<{ edge: ChainEdgeJson }>("/api/value-chain/edges", { method: "POST", body });
export const updateEdge = (id: string, body: unknown) => call<{ edge: ChainEdgeJson }>(`/api/value-chain/edges/${encodeURIComponent(id)}`, { method: "PATCH", body });
export const deleteEdge = (id: string) => call<unknown>(`/api/value-chain/edges/${encodeURIComponent(id)}`, { method: "DELETE" });

export interface RecomputeParams {
  windowYears: 1 | 3 | 5;
  maxLag: number;
  /** As typed, day first (28/11/2026); left out or empty: the latest day with data. */
  asOf?: string;
}
function paramsBody(p: RecomputeParams) {
  const asOf = isoDate(p.asOf ?? "");
  if (asOf === null) throw new Error("As of: write a date as dd/mm/yyyy, e.g. 28/11/2026, or leave it empty for the latest day.");
  return { windowYears: p.windowYears, maxLag: p.maxLag, ...(asOf ? { asOf } : {}) };
}
export const recomputeEdge = (id: string, p: RecomputeParams) =>
  call<RecomputeResult>(`/api/value-chain/edges/${encodeURIComponent(id)}/analysis`, { method: "POST", body: paramsBody(p) });
export const recomputeChain = (p: RecomputeParams) => call<ChainRecomputeResult>("/api/value-chain/analysis", { method: "POST", body: paramsBody(p) });
