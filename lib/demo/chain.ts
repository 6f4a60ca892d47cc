/**
 * The demo value chain: steel (iron ore and coking coal → the steel makers → the builders → the
 * developers), energy (crude oil → drilling, refining, gas → fuel retail and power) and retail
 * (makers and distributors → the retailers). Listed nodes carry symbols of the demo universe, so their
 * edges can be analysed on the demo data, where lib/demo/leads.ts planted the commodities' leads;
 * the two nodes that are not listed (electronics makers, gold bullion) show edges with no series.
 *
 * Written through lib/valuechain (the same validation and change log as an edit in the page), by the
 * system (no user), in one transaction, and only into an empty chain: a chain someone has edited is
 * never touched again.
 */
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import type { Database } from "@/db/database";
import * as schema from "@/db/schema";
import { demoSymbol } from "@/lib/market/demo-universe";
import { createEdge, createNode } from "@/lib/valuechain/edit";
import type { NodeType } from "@/lib/valuechain/schemas";

export interface DemoChainNode {
  /** The symbol of a listed node, else a key of its own (never a symbol). */
  key: string;
  symbol: string | null;
  name: string;
  sector: string;
  nodeType: NodeType;
  description: string;
}

const listed = (symbol: string, nodeType: NodeType, description: string, name?: string): DemoChainNode => {
  const s = demoSymbol(symbol);
  return { key: symbol, symbol, name: name ?? s.name, sector: s.sector ?? "Indices", nodeType, description };
};

export const DEMO_CHAIN_NODES: readonly DemoChainNode[] = [
  // Steel
  listed("IRON_ORE", "Upstream", "Seaborne iron ore, 62% Fe: the main input of blast-furnace steel.", "Iron ore"),
  listed("COKING_COAL", "Upstream", "Premium hard coking coal: the blast furnace's fuel and reductant.", "Coking coal"),
  listed("HPG", "Midstream", "Vietnam's largest steel maker (Dung Quat and Hai Duong blast furnaces): construction steel and hot-rolled coil."),
  listed("HSG", "Midstream", "Coated steel sheet and pipe, rolled from hot-rolled coil."),
  listed("NKG", "Midstream", "Coated steel sheet and pipe, largely exported."),
  listed("POM", "Midstream", "Construction steel from electric-arc furnaces in the South."),
  listed("TVN", "Midstream", "The state steel corporation: Thai Nguyen's blast furnaces and rolling mills."),
  listed("TLH", "Midstream", "Steel distribution and processing, a distributor of Hoa Phat's products."),
  listed("SMC", "Midstream", "Steel trading and processing in the South."),
  listed("CTD", "Downstream", "General contractor of high-rises and industrial buildings."),
  listed("VCG", "Downstream", "Construction and infrastructure contractor, also a developer."),
  listed("HBC", "Downstream", "Building contractor of residential and commercial projects."),
  listed("C4G", "Downstream", "Roads and bridges: public infrastructure contractor."),
  listed("VHM", "Downstream", "The largest residential developer (Vinhomes townships)."),
  listed("VIC", "Downstream", "Conglomerate: real estate, retail, cars (VinFast)."),
  listed("NVL", "Downstream", "Residential and resort developer."),
  listed("KDH", "Downstream", "Residential developer in Ho Chi Minh City."),
  // Energy
  listed("CRUDE_OIL", "Upstream", "Brent crude: the benchmark for Vietnam's crude, fuel and gas prices.", "Crude oil (Brent)"),
  listed("PVD", "Upstream", "Offshore drilling rigs and well services: busier when oil is dear."),
  listed("PVS", "Upstream", "Offshore construction, vessels and services for oil and gas fields."),
  listed("BSR", "Midstream", "Dung Quat refinery: crude in, gasoline and diesel out."),
  listed("GAS", "Midstream", "Gas gathering, processing and distribution; prices indexed to oil."),
  listed("PLX", "Downstream", "The largest fuel retailer (Petrolimex stations)."),
  listed("OIL", "Downstream", "Fuel trading and retail (PV Oil stations)."),
  listed("POW", "Downstream", "Gas-fired and hydro power plants."),
  // Retail
  {
    key: "electronics-makers",
    symbol: null,
    name: "Phone and electronics makers",
    sector: "Retail",
    nodeType: "Upstream",
    description: "Apple, Samsung, Xiaomi and others, imported through distributors: no Vietnamese listing.",
  },
  {
    key: "gold-bullion",
    symbol: null,
    name: "Gold bullion",
    sector: "Commodities",
    nodeType: "Upstream",
    description: "Gold bought for jewellery: no series in the demo data.",
  },
  listed("DGW", "Midstream", "Distributor of phones, laptops and appliances."),
  listed("MSN", "Midstream", "Consumer goods (food, drinks, personal care) sold through the retailers."),
  listed("MWG", "Downstream", "The largest retailer: phones and electronics (Thegioididong, Dien May Xanh), groceries (Bach Hoa Xanh)."),
  listed("FRT", "Downstream", "Phone and laptop retail (FPT Shop) and pharmacies (Long Chau)."),
  listed("PNJ", "Downstream", "Jewellery maker and retailer."),
];

/** [source key, target key, relationship] */
export const DEMO_CHAIN_EDGES: readonly (readonly [string, string, string])[] = [
  // Steel inputs → steel makers (iron ore leads by 3 trading days, coking coal by 4: lib/demo/leads.ts)
  ["IRON_ORE", "HPG", "supplies"],
  ["IRON_ORE", "HSG", "drives"],
  ["IRON_ORE", "NKG", "drives"],
  ["IRON_ORE", "POM", "drives"],
  ["IRON_ORE", "TVN", "supplies"],
  ["COKING_COAL", "HPG", "supplies"],
  ["COKING_COAL", "TVN", "supplies"],
  ["COKING_COAL", "POM", "drives"],
  // Hot-rolled coil and distribution
  ["HPG", "HSG", "supplies"],
  ["HPG", "NKG", "supplies"],
  ["HPG", "TLH", "sells_to"],
  ["HPG", "SMC", "sells_to"],
  // Steel makers → builders
  ["HPG", "CTD", "sells_to"],
  ["HPG", "VCG", "sells_to"],
  ["HPG", "HBC", "sells_to"],
  ["HPG", "C4G", "sells_to"],
  ["HSG", "CTD", "sells_to"],
  ["NKG", "HBC", "sells_to"],
  ["POM", "C4G", "sells_to"],
  // Builders → developers
  ["CTD", "VHM", "builds_for"],
  ["CTD", "VIC", "builds_for"],
  ["CTD", "KDH", "builds_for"],
  ["VCG", "VHM", "builds_for"],
  ["HBC", "NVL", "builds_for"],
  // Energy (crude oil leads by 2 trading days)
  ["CRUDE_OIL", "PVD", "drives"],
  ["CRUDE_OIL", "PVS", "drives"],
  ["CRUDE_OIL", "BSR", "supplies"],
  ["CRUDE_OIL", "GAS", "drives"],
  ["CRUDE_OIL", "PLX", "drives"],
  ["BSR", "PLX", "supplies"],
  ["BSR", "OIL", "supplies"],
  ["GAS", "POW", "supplies"],
  // Retail
  ["electronics-makers", "DGW", "supplies"],
  ["DGW", "MWG", "supplies"],
  ["DGW", "FRT", "supplies"],
  ["MSN", "MWG", "supplies"],
  ["gold-bullion", "PNJ", "supplies"],
];

// One seeding at a time (two instances starting at once must not both find the chain empty).
const CHAIN_SEED_LOCK = 7_204_815_201;

export interface DemoChainSummary {
  /** "existed": the chain had nodes, nothing was written. */
  outcome: "created" | "existed";
  nodes: number;
  edges: number;
}

/**
 * Writes the demo chain into an empty chain. Nodes whose symbol is not in market_symbols (a seed of a
 * reduced universe) are left out with their edges, since a node's symbol must be a known one.
 */
export async function ensureDemoChain(pool: pg.Pool): Promise<DemoChainSummary> {
  const db = drizzle(pool, { schema }) as unknown as Database;
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Database;
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${CHAIN_SEED_LOCK})`);
    const { rows } = await tx.execute<{ any: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM value_chain_nodes) AS any`);
    if (rows[0]?.any) return { outcome: "existed" as const, nodes: 0, edges: 0 };
    const symbols = DEMO_CHAIN_NODES.flatMap((n) => (n.symbol ? [n.symbol] : []));
    const known = new Set(
      (await tx.execute<{ symbol: string }>(sql`SELECT symbol FROM market_symbols WHERE symbol = ANY(${sql.param(symbols)}::text[])`)).rows.map((r) => r.symbol),
    );
    const ids = new Map<string, string>();
    for (const n of DEMO_CHAIN_NODES) {
      if (n.symbol && !known.has(n.symbol)) continue;
      const created = await createNode(tx, null, { symbol: n.symbol, name: n.name, sector: n.sector, nodeType: n.nodeType, description: n.description });
      ids.set(n.key, created.id);
    }
    let edges = 0;
    for (const [source, target, relationship] of DEMO_CHAIN_EDGES) {
      const sourceId = ids.get(source);
      const targetId = ids.get(target);
      if (!sourceId || !targetId) continue;
      await createEdge(tx, null, { sourceId, targetId, relationship });
      edges++;
    }
    return { outcome: "created" as const, nodes: ids.size, edges };
  });
}
