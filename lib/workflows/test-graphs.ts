/** A test graph and its data shared by the run-outcome and the runs-list tests. */
import { GRAPH_SCHEMA_VERSION, type WorkflowGraph } from "./graph";
import { bars } from "./nodes/test-context";

/** Trigger → Candles → RSI → Threshold (RSI < level) → Signal list, and the same condition → Alert. */
export function rsiGraph(level: number, latestOnly = true): WorkflowGraph {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      { id: "t", type: "trigger.manual", position: { x: 0, y: 0 }, data: { params: {} } },
      { id: "c", type: "data.candles", position: { x: 300, y: 0 }, data: { params: { symbols: ["HPG", "TLH"], resolution: "1D", lookback: 250 } } },
      { id: "r", type: "indicator.rsi", position: { x: 600, y: 0 }, data: { label: "RSI", params: { period: 14 } } },
      { id: "th", type: "logic.threshold", position: { x: 900, y: 0 }, data: { params: { operator: "<", level } } },
      { id: "s", type: "output.signals", position: { x: 1200, y: 0 }, data: { params: { reason: "oversold", latestOnly } } },
      { id: "a", type: "output.alert", position: { x: 1200, y: 200 }, data: { params: { title: "RSI oversold", severity: "warning", message: "Look at these" } } },
    ],
    edges: [
      { id: "e1", source: "t", target: "c", targetHandle: "trigger" },
      { id: "e2", source: "c", sourceHandle: "close", target: "r" },
      { id: "e3", source: "r", target: "th" },
      { id: "e4", source: "th", target: "s" },
      { id: "e5", source: "th", target: "a" },
    ],
  };
}

// TLH falls every day for 60 bars (RSI near 0); HPG rises (RSI near 100).
export const candles = { TLH: bars(Array.from({ length: 60 }, (_, i) => 100 - i * 0.5 + (i % 3 === 0 ? 0.3 : 0))), HPG: bars(Array.from({ length: 60 }, (_, i) => 50 + i)) };

