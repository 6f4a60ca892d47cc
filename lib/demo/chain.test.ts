/**
 * The demo value chain: its shape (no database), and writing it into an empty chain of a database of
 * this file's own (the run's shared database has other files' nodes in it).
 */
import { describe, expect, it } from "vitest";
import { DEMO_UNIVERSE } from "@/lib/market/demo-universe";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { DEMO_CHAIN_EDGES, DEMO_CHAIN_NODES, ensureDemoChain } from "./chain";
import { DEMO_PLANTED_LEADS } from "./leads";

describe("the demo chain", () => {
  const keys = new Set(DEMO_CHAIN_NODES.map((n) => n.key));

  it("has steel, energy and retail: 25+ nodes, 30+ edges, in the three lanes", () => {
    expect(DEMO_CHAIN_NODES.length).toBeGreaterThanOrEqual(25);
    expect(DEMO_CHAIN_EDGES.length).toBeGreaterThanOrEqual(30);
    expect(keys.size).toBe(DEMO_CHAIN_NODES.length);
    expect(new Set(DEMO_CHAIN_NODES.map((n) => n.nodeType))).toEqual(new Set(["Upstream", "Midstream", "Downstream"]));
    for (const symbol of ["IRON_ORE", "COKING_COAL", "HPG", "HSG", "NKG", "TLH", "POM", "CTD", "VCG", "HBC", "C4G", "VHM", "CRUDE_OIL", "PLX", "GAS", "BSR", "PVD", "MWG", "PNJ", "FRT", "DGW", "MSN"]) {
      expect(keys.has(symbol), symbol).toBe(true);
    }
  });

  it("uses only symbols of the demo universe, and edges between its own nodes without loops or repeats", () => {
    const universe = new Set(DEMO_UNIVERSE.map((s) => s.symbol));
    for (const n of DEMO_CHAIN_NODES) if (n.symbol) expect(universe.has(n.symbol), n.symbol).toBe(true);
    for (const [source, target] of DEMO_CHAIN_EDGES) {
      expect(keys.has(source) && keys.has(target), `${source} → ${target}`).toBe(true);
      expect(source).not.toBe(target);
    }
    expect(new Set(DEMO_CHAIN_EDGES.map((e) => e.join("|"))).size).toBe(DEMO_CHAIN_EDGES.length);
  });

  it("draws an edge for a planted lead of each commodity", () => {
    const drawn = new Set(DEMO_CHAIN_EDGES.map(([s, t]) => `${s}|${t}`));
    const planted = DEMO_PLANTED_LEADS.filter((p) => drawn.has(`${p.source}|${p.target}`));
    expect(new Set(planted.map((p) => p.source))).toEqual(new Set(["IRON_ORE", "COKING_COAL", "CRUDE_OIL"]));
    expect(planted.length).toBeGreaterThanOrEqual(10);
  });
});

describe("ensureDemoChain", () => {
  const db = scratchDatabaseForFile("demo_chain");

  it("writes the whole chain into an empty one, logged as the system's changes, and only once", async () => {
    await db.pool.query(
      `INSERT INTO market_symbols (symbol, name, kind, exchange, sector)
       SELECT s, s, 'stock', 'HOSE', 'Steel' FROM unnest($1::text[]) AS s`,
      [DEMO_UNIVERSE.map((s) => s.symbol)],
    );
    const first = await ensureDemoChain(db.pool);
    expect(first).toEqual({ outcome: "created", nodes: DEMO_CHAIN_NODES.length, edges: DEMO_CHAIN_EDGES.length });
    const counts = async () =>
      (
        await db.pool.query(`SELECT (SELECT count(*)::int FROM value_chain_nodes) AS nodes, (SELECT count(*)::int FROM value_chain_edges) AS edges,
                                    (SELECT count(*)::int FROM value_chain_changes WHERE user_id IS NULL AND action = 'create') AS logged`)
      ).rows[0];
    expect(await counts()).toEqual({ nodes: DEMO_CHAIN_NODES.length, edges: DEMO_CHAIN_EDGES.length, logged: DEMO_CHAIN_NODES.length + DEMO_CHAIN_EDGES.length });
    const { rows } = await db.pool.query(
      `SELECT s.symbol AS source, t.symbol AS target, e.relationship, e.correlation_coeff FROM value_chain_edges e
         JOIN value_chain_nodes s ON s.id = e.source_id JOIN value_chain_nodes t ON t.id = e.target_id WHERE s.symbol = 'IRON_ORE' AND t.symbol = 'HPG'`,
    );
    // Not analysed yet: the analysis fills the correlation and lead.
    expect(rows).toEqual([{ source: "IRON_ORE", target: "HPG", relationship: "supplies", correlation_coeff: null }]);

    // A second seeding, or two at once, leave an existing chain alone (even one someone edited).
    await db.pool.query("DELETE FROM value_chain_nodes WHERE symbol = 'PNJ'");
    const again = await Promise.all([ensureDemoChain(db.pool), ensureDemoChain(db.pool)]);
    expect(again.map((a) => a.outcome)).toEqual(["existed", "existed"]);
    expect((await counts()).nodes).toBe(DEMO_CHAIN_NODES.length - 1);
  });
});
