/**
 * The chain as the workflow nodes use it (propagate.ts): nodes and edges with each edge's correlation,
 * lead and weight and its latest analysis's verdict, in two light queries (no lags, no market moves:
 * read.ts readChain is the page's fuller read).
 */
import type { Queryable } from "@/lib/market/queryable";
import type { ChainGraph } from "./propagate";

export async function readChainGraph(q: Queryable): Promise<ChainGraph> {
  const [nodes, edges] = await Promise.all([
    q.query("SELECT id, symbol, name, sector, node_type FROM value_chain_nodes ORDER BY name, id"),
    q.query(`SELECT e.id, e.source_id, e.target_id, e.relationship, e.correlation_coeff, e.lead_time_days, e.weight,
                    (SELECT a.significant FROM value_chain_analyses a WHERE a.edge_id = e.id ORDER BY a.computed_at DESC, a.id DESC LIMIT 1) AS significant
               FROM value_chain_edges e ORDER BY e.created_at, e.id`),
  ]);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    nodes: nodes.rows.map((r) => ({
      id: r.id as string,
      symbol: (r.symbol as string | null) ?? null,
      name: r.name as string,
      sector: r.sector as string,
      nodeType: r.node_type as string,
    })),
    edges: edges.rows.map((r) => ({
      id: r.id as string,
      sourceId: r.source_id as string,
      targetId: r.target_id as string,
      relationship: (r.relationship as string | null) ?? null,
      correlation: num(r.correlation_coeff),
      leadTimeDays: num(r.lead_time_days),
      weight: num(r.weight),
      significant: (r.significant as boolean | null) ?? null,
    })),
  };
}
