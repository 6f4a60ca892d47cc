/**
 * The starter templates: shipped with the demo data (lib/demo/account.ts gives them to the demo analyst) and
 * offered on an empty workflows list. Each is a valid graph of the built-in nodes over demo symbols,
 * placed by the layered layout (lib/workflows/layout.ts) so that no wire runs behind a node.
 */
import type { Queryable } from "@/lib/market/queryable";
import { GRAPH_SCHEMA_VERSION, type WorkflowGraph } from "./graph";
import { arrangeWorkflowGraph } from "./layout";
import { defaultRegistry } from "./registry";

export interface StarterTemplate {
  key: string;
  name: string;
  description: string;
  graph: () => WorkflowGraph;
}

type N = WorkflowGraph["nodes"][number];
// Positions come from the layout (placed), not from hand-tuned coordinates.
const node = (id: string, type: string, label: string, params: Record<string, unknown> = {}): N => ({ id, type, position: { x: 0, y: 0 }, data: { label, params } });
const placed = (graph: WorkflowGraph): WorkflowGraph => arrangeWorkflowGraph(graph, defaultRegistry);
const edge = (source: string, sourceHandle: string | null, target: string, targetHandle: string | null) => ({ id: `${source}.${sourceHandle ?? "out"}-${target}.${targetHandle ?? "in"}`, source, sourceHandle, target, targetHandle });

/** The VN30 constituents the demo universe has. */
export const VN30_DEMO = ["ACB", "BSR", "GAS", "HPG", "MBB", "MWG", "PLX", "POW", "SHB", "TCB", "VCB", "VHM", "VIC"];

export const STARTER_TEMPLATES: readonly StarterTemplate[] = [
  {
    key: "rsi-oversold-steel",
    name: "RSI oversold steel stocks",
    description: "Steel makers whose 14-day RSI is below 30 on the latest daily bar.",
    graph: () => placed({
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [
        node("trigger", "trigger.manual", "Run"),
        node("universe", "data.universe", "Steel stocks", { sector: "Steel" }),
        node("candles", "data.candles", "Daily bars", { symbols: [], resolution: "1D", lookback: 120 }),
        node("rsi", "indicator.rsi", "RSI 14", { period: 14 }),
        node("oversold", "logic.threshold", "RSI < 30", { operator: "<", level: 30 }),
        node("signals", "output.signals", "Oversold", { reason: "RSI(14) below 30", latestOnly: true }),
      ],
      edges: [
        edge("trigger", null, "universe", null),
        edge("universe", null, "candles", "universe"),
        edge("trigger", null, "candles", "trigger"),
        edge("candles", "close", "rsi", null),
        edge("rsi", null, "oversold", null),
        edge("oversold", null, "signals", null),
      ],
    }),
  },
  {
    key: "golden-cross-vn30",
    name: "Golden cross on VN30",
    description: "VN30 stocks whose 50-day SMA crossed above the 200-day SMA on the latest bar; after each close on trading days.",
    graph: () => placed({
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [
        node("trigger", "trigger.schedule", "After the close", { cron: "15 15 * * 1-5", tradingDaysOnly: true }),
        node("candles", "data.candles", "VN30 daily bars", { symbols: VN30_DEMO, resolution: "1D", lookback: 260 }),
        node("sma50", "indicator.sma", "SMA 50", { period: 50 }),
        node("sma200", "indicator.sma", "SMA 200", { period: 200 }),
        node("cross", "logic.cross", "50 crosses above 200", { direction: "above" }),
        node("signals", "output.signals", "Golden crosses", { reason: "SMA 50 crossed above SMA 200", latestOnly: true }),
      ],
      edges: [
        edge("trigger", null, "candles", "trigger"),
        edge("candles", "close", "sma50", null),
        edge("candles", "close", "sma200", null),
        edge("sma50", null, "cross", "a"),
        edge("sma200", null, "cross", "b"),
        edge("cross", null, "signals", null),
      ],
    }),
  },
  {
    key: "liquidity-spike",
    name: "Liquidity spike alert",
    description: "An alert naming the HOSE stocks whose volume today is above its 20-day average and more than doubled since yesterday.",
    graph: () => placed({
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [
        node("trigger", "trigger.manual", "Run"),
        node("universe", "data.universe", "HOSE stocks", { exchange: "HOSE" }),
        node("candles", "data.candles", "Daily bars", { symbols: [], resolution: "1D", lookback: 40 }),
        node("avg", "indicator.sma", "Volume SMA 20", { period: 20 }),
        node("above", "logic.compare", "Volume > average", { operator: ">" }),
        node("change", "indicator.returns", "Volume change", { kind: "simple" }),
        node("doubled", "logic.threshold", "Change > 100%", { operator: ">", level: 1 }),
        node("both", "logic.and", "Both"),
        node("alert", "output.alert", "Liquidity spike", { title: "Liquidity spike", severity: "warning", message: "Volume doubled and is above its 20-day average." }),
      ],
      edges: [
        edge("trigger", null, "universe", null),
        edge("trigger", null, "candles", "trigger"),
        edge("universe", null, "candles", "universe"),
        edge("candles", "volume", "avg", null),
        edge("candles", "volume", "above", "a"),
        edge("avg", null, "above", "b"),
        edge("candles", "volume", "change", null),
        edge("change", null, "doubled", null),
        edge("above", null, "both", "a"),
        edge("doubled", null, "both", "b"),
        edge("both", null, "alert", null),
      ],
    }),
  },
  {
    key: "iron-ore-shock",
    name: "Iron ore shock → steel and builders",
    description:
      "When iron ore or coking coal moved 3 % or more over the last 5 daily bars, the steel makers, builders and developers downstream that may follow, and when (the value chain's measured links).",
    graph: () => placed({
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [
        node("trigger", "trigger.schedule", "After the close", { cron: "45 15 * * 1-5", tradingDaysOnly: true }),
        node("candles", "data.candles", "Steel inputs", { symbols: ["IRON_ORE", "COKING_COAL"], resolution: "1D", lookback: 30 }),
        node("links", "valuechain.links", "Steel makers' links", { symbols: ["HPG", "HSG", "NKG"], direction: "downstream", links: "significant" }),
        node("propagate", "valuechain.propagate", "Along the chain", {
          signals: "",
          overBars: 5,
          minMovePct: 3,
          maxDepth: 3,
          links: "significant",
          minExpectedPct: 0.5,
          alertTitle: "Iron ore shock",
        }),
      ],
      edges: [edge("trigger", null, "candles", "trigger"), edge("candles", "close", "propagate", "prices"), edge("trigger", null, "links", "trigger")],
    }),
  },
];

export function starterTemplate(key: string): StarterTemplate | undefined {
  return STARTER_TEMPLATES.find((t) => t.key === key);
}

/** Gives a user the templates they do not have yet (by name); idempotent. Answers how many were added. */
export async function ensureStarterWorkflows(q: Queryable, userId: string): Promise<number> {
  let added = 0;
  for (const t of STARTER_TEMPLATES) {
    const { rows } = await q.query(
      `INSERT INTO workflows (user_id, name, json_graph, is_active) VALUES ($1, $2, $3::jsonb, false)
       ON CONFLICT (user_id, name) DO NOTHING RETURNING id`,
      [userId, t.name, JSON.stringify(t.graph())],
    );
    added += rows.length;
  }
  return added;
}
