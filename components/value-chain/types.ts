/**
 * The value chain as the page receives it from /api/value-chain/** (app/_lib/value-chain-json.ts):
 * times are ISO strings with +07:00, analyses carry both bands and every lag.
 */
import type { NodeType } from "@/lib/valuechain/schemas";

export type { NodeType };

export interface NodeMarketJson {
  close: number;
  previousClose: number | null;
  changePct: number | null;
  asOf: string;
}

export interface ChainNodeJson {
  id: string;
  symbol: string | null;
  name: string;
  sector: string;
  nodeType: NodeType;
  description: string | null;
  createdAt: string | null;
  market: NodeMarketJson | null;
}

export interface LagJson {
  k: number;
  rho: number | null;
  n?: number;
}

export interface AnalysisJson {
  id: number;
  computedAt: string;
  computedBy: string | null;
  windowYears: number;
  asOf: string;
  maxLag: number;
  n: number;
  leadTimeDays: number;
  correlation: number;
  significant: boolean;
  band: number;
  plainBand: number;
  weight: number;
  lags: LagJson[];
}

export interface ChainEdgeJson {
  id: string;
  sourceId: string;
  targetId: string;
  relationship: string | null;
  correlationCoeff: number | null;
  leadTimeDays: number | null;
  weight: number | null;
  createdAt: string | null;
  updatedAt: string | null;
  latestAnalysis: AnalysisJson | null;
}

export interface ChainJson {
  nodes: ChainNodeJson[];
  edges: ChainEdgeJson[];
}

export interface ChangeJson {
  id: number;
  changedAt: string;
  userId: string | null;
  userEmail: string | null;
  entity: "node" | "edge";
  entityId: string;
  action: "create" | "update" | "delete";
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  label: string;
}

/** One edge's answer to a recomputation (POST /api/value-chain/edges/{id}/analysis). */
export interface RecomputeResult {
  n: number;
  leadTimeDays: number;
  correlation: number;
  significant: boolean;
  band: number;
  lags: LagJson[];
}

/** The whole chain's answer (POST /api/value-chain/analysis): one line per edge, done or why not. */
export interface ChainRecomputeResult {
  edges: ({ edgeId: string; ok: true } & Partial<RecomputeResult> | { edgeId: string; ok: false; error: string })[];
}
