/** A NodeContext for tests: fixed clock, canned candles, no database. */
import type { CandleBar } from "../../market/candles";
import type { CandlesBySymbol, NodeContext, SeriesBySymbol } from "../types";

export const DAY = 86_400_000;
/** 00:00 in Vietnam on Monday 5 Jan 2026 (17:00 UTC the day before): how a daily bar is stamped. */
export const T0 = Date.UTC(2026, 0, 4, 17);

export function bars(closes: number[], spread = 1): CandleBar[] {
  return closes.map((c, i) => ({ time: new Date(T0 + i * DAY), open: c, high: c + spread, low: c - spread, close: c, volume: 1000 * (i + 1) }));
}

export function series(values: Record<string, number[]>): SeriesBySymbol {
  return Object.fromEntries(Object.entries(values).map(([s, v]) => [s, { times: v.map((_, i) => T0 + i * DAY), values: v }]));
}

export function testContext(data: CandlesBySymbol = {}, overrides: Partial<NodeContext> = {}): NodeContext {
  return {
    signal: new AbortController().signal,
    now: () => new Date("2026-11-26T08:00:00Z"),
    trigger: { kind: "manual", at: "2026-11-26T15:00:00+07:00" },
    async candles(symbols) {
      return Object.fromEntries(symbols.map((s) => [s, data[s] ?? []]));
    },
    async snapshot(market) {
      return { market, vn_index: 1250, vn_index_change_pct: 0.5, dxy: null, foreign_net_flow: null, market_liquidity: 1e12, timestamp: "2026-11-26T14:45:00+07:00" };
    },
    async universe(filter) {
      return filter.sector === "Steel" ? ["HPG", "HSG", "NKG"] : ["FPT", "HPG", "VCB"];
    },
    async valueChain() {
      return { nodes: [], edges: [] };
    },
    ...overrides,
  };
}
