/**
 * Where the portfolio page's universes come from besides the symbol search: the market's sectors and the
 * value chain's lanes (Upstream, Midstream, Downstream), each as the stock symbols it holds. Two grouped
 * queries; only listed stocks (market_symbols.kind = 'stock') count, so a commodity node is left out.
 */
import type { Queryable } from "@/lib/market/queryable";

export interface SymbolGroup {
  name: string;
  symbols: string[];
}

export async function sectorGroups(db: Queryable): Promise<SymbolGroup[]> {
  const { rows } = await db.query(
    `SELECT sector AS name, array_agg(symbol ORDER BY symbol) AS symbols
       FROM market_symbols WHERE kind = 'stock' AND sector IS NOT NULL
      GROUP BY sector ORDER BY sector`,
  );
  return rows as unknown as SymbolGroup[];
}

export async function valueChainLanes(db: Queryable): Promise<SymbolGroup[]> {
  const { rows } = await db.query(
    `SELECT n.node_type AS name, array_agg(n.symbol ORDER BY n.symbol) AS symbols
       FROM value_chain_nodes n JOIN market_symbols m ON m.symbol = n.symbol AND m.kind = 'stock'
      GROUP BY n.node_type
      ORDER BY array_position(ARRAY['Upstream', 'Midstream', 'Downstream']::text[], n.node_type::text)`,
  );
  return rows as unknown as SymbolGroup[];
}
