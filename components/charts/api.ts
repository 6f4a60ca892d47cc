/**
 * The browser's side of the market-data API (issue 4's contract with lib/market's routes): typed
 * fetchers that turn a non-2xx answer into an ApiError carrying the route's own reason. No React.
 */
import type { Resolution } from "./chart-time";
import type { PriceUnit } from "./format";

export type SymbolKind = "stock" | "index" | "commodity";
export type ExchangeName = "HOSE" | "HNX" | "UPCOM";

export interface SymbolInfo {
  symbol: string;
  name: string;
  kind: SymbolKind;
  exchange: ExchangeName | null;
  sector: string | null;
}

export interface ApiCandle {
  /** ISO 8601 with +07:00, e.g. "2026-11-26T09:15:00+07:00". */
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface PriceLimitsDay {
  date: string;
  reference: number;
  ceiling: number;
  floor: number;
  /** lib/market/reference.ts: the previous close, or UPCOM's previous-session average price (or its approximation). */
  basis: "previous-close" | "previous-vwap" | "previous-vwap-approx";
  /** Computed by QuantFlow from stored bars (DNSE sends no reference), so not adjusted on ex-rights days. */
  source: "computed";
}

export interface CandlesPage {
  symbol: string;
  resolution: Resolution;
  exchange: ExchangeName | null;
  kind: SymbolKind;
  unit: PriceUnit;
  candles: ApiCandle[];
  hasMore: boolean;
  priceLimits: PriceLimitsDay | null;
}

export interface MarketSnapshot {
  market: string;
  vn_index: number | null;
  vn_index_change_pct: number | null;
  dxy: number | null;
  foreign_net_flow: number | null;
  market_liquidity: number | null;
  timestamp: string;
  source: string;
}

export type ImportUnit = "VND" | "thousand VND" | "points";
export type ImportResolution = "1D" | "1m";

export interface ImportProblem {
  line: number;
  message: string;
}

/** A sign of a wrong unit (lib/market/unit-check.ts); importing then needs confirmWarnings. */
export interface ImportWarning {
  code: "off-tick" | "scale";
  message: string;
}

interface Ohlcv {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A stored bar a write replaces (time in +07:00); after null: removed by a correction. */
export interface CandleChange {
  symbol: string;
  time: string;
  before: Ohlcv;
  after: Ohlcv | null;
}

export interface ImportPreview {
  rows: number;
  preview: Record<string, unknown>[];
  problems: ImportProblem[];
  warnings: ImportWarning[];
  /** Bars outside the sanity bounds: the import would be refused whole. */
  outOfBounds: ImportProblem[];
  changed: number;
  changes: CandleChange[];
}

export interface ImportResult {
  imported: number;
  skipped: ImportProblem[];
  changed: number;
  changes: CandleChange[];
}

export interface BackfillStatus {
  status: string;
  fetched: number;
  stored: number;
  chunksDone: number;
  chunksTotal: number;
  error?: string;
  /** While queued: backfills that start before this one. */
  ahead?: number;
}

/** A refusal or failure of the API, with the reason it gave (or one in words when it gave none). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch {
    throw new ApiError("QuantFlow's server cannot be reached. Check that it is running, then try again.", 0);
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (an HTML error page, an empty body): handled below.
  }
  if (!response.ok) {
    const reason =
      body && typeof body === "object" && "error" in body && typeof body.error === "string" && body.error
        ? body.error
        : response.status === 401
          ? "Your session has ended. Sign in again."
          : `The server answered ${response.status} ${response.statusText || ""}`.trim() + ".";
    throw new ApiError(reason, response.status);
  }
  if (body === null) throw new ApiError("The server's answer was not readable.", response.status);
  return body as T;
}

export const CANDLES_PAGE_SIZE = 500;

export function fetchCandles(
  params: { symbol: string; resolution: Resolution; to?: string; limit?: number },
  signal?: AbortSignal,
): Promise<CandlesPage> {
  const q = new URLSearchParams({
    symbol: params.symbol,
    resolution: params.resolution,
    limit: String(params.limit ?? CANDLES_PAGE_SIZE),
  });
  if (params.to) q.set("to", params.to);
  return request<CandlesPage>(`/api/candles?${q}`, { signal });
}

export async function fetchSymbols(q: string, limit = 20, signal?: AbortSignal): Promise<SymbolInfo[]> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (q) params.set("q", q);
  const body = await request<{ symbols: SymbolInfo[] }>(`/api/symbols?${params}`, { signal });
  return body.symbols;
}

export function fetchSnapshot(market = "HOSE", signal?: AbortSignal): Promise<MarketSnapshot> {
  return request<MarketSnapshot>(`/api/market/snapshot?market=${encodeURIComponent(market)}`, { signal });
}

export interface ImportRequest {
  file: File;
  symbol: string;
  unit: ImportUnit;
  resolution: ImportResolution;
  skipBadRows: boolean;
  /** The preview's unit warnings were read and the import goes ahead anyway. */
  confirmWarnings: boolean;
}

function importForm(req: ImportRequest, mode: "preview" | "import"): FormData {
  const form = new FormData();
  form.set("file", req.file);
  form.set("symbol", req.symbol);
  form.set("unit", req.unit);
  form.set("resolution", req.resolution);
  form.set("mode", mode);
  form.set("skipBadRows", String(req.skipBadRows));
  form.set("confirmWarnings", String(req.confirmWarnings));
  return form;
}

export function previewImport(req: ImportRequest): Promise<ImportPreview> {
  return request<ImportPreview>("/api/candles/import", { method: "POST", body: importForm(req, "preview") });
}

export function runImport(req: ImportRequest): Promise<ImportResult> {
  return request<ImportResult>("/api/candles/import", { method: "POST", body: importForm(req, "import") });
}

/**
 * The backfill route speaks DNSE's resolutions (1, 5, 15, 30, 60, D), not the chart's: 4h bars are
 * rolled up from hours (so minutes are fetched), weeks and months from days.
 */
export const DNSE_RESOLUTION: Record<Resolution, string> = { "1m": "1", "5m": "5", "15m": "15", "30m": "30", "1h": "60", "4h": "60", "1D": "D", "1W": "D", "1M": "D" };

export function startBackfill(body: { symbol: string; resolution: Resolution; from: string; to: string }): Promise<{ jobId: string }> {
  return request<{ jobId: string }>("/api/market/backfill", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, resolution: DNSE_RESOLUTION[body.resolution] }),
  });
}

export function fetchBackfill(jobId: string, signal?: AbortSignal): Promise<BackfillStatus> {
  return request<BackfillStatus>(`/api/market/backfill/${encodeURIComponent(jobId)}`, { signal });
}
