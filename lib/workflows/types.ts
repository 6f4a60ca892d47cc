/**
 * What flows between workflow nodes, and what a node type declares. Values are plain JSON-able objects
 * (except NaN, which marks warm-up bars and becomes null when a run's result is serialised) so a run's
 * outputs can be stored as they are.
 */
import type { z } from "zod";
import type { CandleBar, CandleResolution } from "../market/candles";
import type { CandleLookback } from "../market/candles-many";
import type { MarketSnapshot } from "../market/snapshot";
import type { ExchangeCode } from "../market/types";
import type { ChainGraph } from "../valuechain/propagate";

/**
 * The kinds of value a handle carries. An edge must join equal kinds: the builder refuses anything else
 * and validateGraph names the reason (PORT_TYPE_HINTS).
 */
export const PORT_TYPES = ["trigger", "candles", "series", "boolean", "table", "snapshot", "universe", "alert"] as const;
export type PortType = (typeof PORT_TYPES)[number];

/**
 * One symbol's numbers over time; times are epoch milliseconds (UTC), ascending, same length as values.
 * `resolution` is the bars' (set by the candles node, kept by the nodes that keep the times): it decides
 * how a time is written in outputs (a daily bar as its date) and how volatility is annualised.
 */
export interface TimeSeries<T = number> {
  times: number[];
  values: T[];
  resolution?: CandleResolution;
}
/** Per-symbol series: the "series" port. */
export type SeriesBySymbol = Record<string, TimeSeries>;
/** Per-symbol true/false over time: the "boolean" port (a condition, e.g. RSI < 30). */
export type BooleanBySymbol = Record<string, TimeSeries<boolean>>;
/** Per-symbol OHLCV bars: the "candles" port. */
export type CandlesBySymbol = Record<string, CandleBar[]>;
/** Rows of a table: the "table" port (signals, rankings). */
export type TableRows = Record<string, string | number | boolean | null>[];
/** A list of symbols: the "universe" port. */
export interface Universe {
  symbols: string[];
}
export interface TriggerEvent {
  kind: "manual" | "schedule";
  /** ISO 8601 in Vietnam time (+07:00). */
  at: string;
}
export interface Alert {
  title: string;
  severity: "info" | "warning" | "critical";
  message: string;
  symbols: string[];
  /** When it was raised, ISO 8601 with +07:00. */
  at: string;
  /** The bar the condition was read at (the same for every symbol; a daily bar as its date). */
  barTime: string | null;
  /** Symbols without a bar at barTime, so not looked at. */
  leftOut: string[];
}

/**
 * What a node tells the reader about its output (the factor it annualised by, the bar time it compared
 * at, the symbols it left out). Returned under INFO_KEY beside the ports, stored with the run and shown
 * on the run page; it is not a port, so nothing can be wired to it.
 */
export const INFO_KEY = "info";
export type NodeInfo = Record<string, string | number | boolean | null | string[]>;

export interface PortSpec {
  id: string;
  label: string;
  type: PortType;
  /** An input that must be wired (outputs ignore it). */
  required?: boolean;
}

export type NodeCategory = "trigger" | "data" | "indicator" | "logic" | "output";

/** A memory as a node sees it (the recalled rows; times ISO 8601 with +07:00). */
export interface RecalledMemory {
  id: string;
  memoryType: string;
  company: string | null;
  content: string;
  time: string;
  similarity: number | null;
}

/**
 * The run's owner's memories (lib/memory behind it, scoped to the owner of the workflow). Absent where
 * no memory store is wired (the memory nodes then fail saying so).
 */
export interface MemoryServices {
  /** The embedder's honest name: "lexical (quantflow-lexical-v1)" or the endpoint's model. */
  embedder: string;
  recall(query: { query: string; type?: string; company?: string; from?: Date; limit: number }): Promise<RecalledMemory[]>;
  save(memory: { content: string; memoryType: string; company: string | null }): Promise<{ id: string }>;
}

/** An OpenAI-compatible chat endpoint (the AI analyst node). Absent when none is configured. */
export interface ChatServices {
  model: string;
  complete(messages: { role: "system" | "user"; content: string }[], signal: AbortSignal): Promise<string>;
}

/** What the engine's caller provides to the nodes: the only way a node reaches data. */
export interface NodeContext {
  /** Aborted when the node's own limit or the run's limit passes: long work should check it. */
  signal: AbortSignal;
  now(): Date;
  trigger: TriggerEvent;
  /**
   * Each symbol's latest bars at `resolution`: `lookback` bars (a number or { bars }) or the bars of the
   * last `days` trading days (the caller wires readCandlesMany, lib/market/candles-many.ts).
   */
  candles(symbols: string[], resolution: CandleResolution, lookback: number | CandleLookback, signal: AbortSignal): Promise<CandlesBySymbol>;
  snapshot(market: ExchangeCode, signal: AbortSignal): Promise<MarketSnapshot>;
  universe(filter: { exchange?: ExchangeCode; sector?: string }, signal: AbortSignal): Promise<string[]>;
  /** The shared value chain: nodes, and edges with their correlation, lead and weight (lib/valuechain/graph.ts). */
  valueChain(signal: AbortSignal): Promise<ChainGraph>;
  /**
   * An allocation of `symbols` from their daily closes (lib/portfolio), saved for the workflow's owner
   * when `save` is set. Absent where a run has no owner to save for (benchmarks, some tests).
   */
  allocate?(request: AllocateRequest, signal: AbortSignal): Promise<AllocateResult>;
  memory?: MemoryServices;
  chat?: ChatServices;
  /** The run being executed (for links back to it from what it saves); absent outside a recorded run. */
  run?: { id: string; workflowId: string };
}

export interface AllocateRequest {
  symbols: string[];
  method: string;
  lookbackDays: number;
  minWeight?: number;
  maxWeight?: number;
  targetReturn?: number;
  targetVolatility?: number;
  save: boolean;
  name?: string;
}

export interface AllocateResult {
  weights: Record<string, number>;
  riskContributions: Record<string, number>;
  expectedReturn: number;
  volatility: number;
  sharpe: number;
  riskFreeRate: number;
  /** The Vietnamese date of the last close used. */
  asOf: string;
  excluded: string[];
  /** The saved allocation's id, when saved. */
  savedId: string | null;
}

export type NodeInputs = Record<string, unknown>;
export type NodeOutputs = Record<string, unknown>;

export interface NodeDefinition<P = unknown> {
  type: string;
  label: string;
  category: NodeCategory;
  description: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  params: z.ZodType<P>;
  /** Inputs by port id (unwired optional inputs are absent); returns outputs by port id. */
  execute(inputs: NodeInputs, params: P, ctx: NodeContext): NodeOutputs | Promise<NodeOutputs>;
}
