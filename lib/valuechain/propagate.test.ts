/** Links and propagation on a small chain held in memory (the workflow nodes' and the engine's tests use the database's). */
import { describe, expect, it } from "vitest";
import { ChainSignalError, linksOf, propagate, type ChainGraph, type ChainGraphEdge } from "./propagate";

const n = (id: string, nodeType = "Midstream", symbol: string | null = id) => ({ id, symbol, name: symbol ? `${id} name` : id, sector: "Steel", nodeType });
const e = (sourceId: string, targetId: string, correlation: number | null, leadTimeDays: number | null, weight = Math.abs(correlation ?? 0)): ChainGraphEdge => ({
  id: `${sourceId}-${targetId}`,
  sourceId,
  targetId,
  relationship: "supplies",
  correlation,
  leadTimeDays,
  weight,
  significant: weight > 0,
});

/** Iron ore → HPG → HSG → CTD → VHM, a direct iron ore → HSG, a cycle HSG ⇄ HPG, and links that carry nothing. */
const chain: ChainGraph = {
  nodes: [n("IRON_ORE", "Upstream"), n("HPG"), n("HSG"), n("CTD", "Downstream"), n("VHM", "Downstream"), n("Scrap yards", "Upstream", null), n("NKG"), n("TLH"), n("SMC")],
  edges: [
    e("IRON_ORE", "HPG", 0.4, 3),
    e("HPG", "HSG", 0.5, 1),
    e("HSG", "HPG", 0.2, 0),
    e("HSG", "CTD", 0.3, 2),
    e("CTD", "VHM", 0.5, 1),
    e("IRON_ORE", "HSG", 0.1, 3),
    e("Scrap yards", "HPG", -0.5, 2),
    // Not significant (weight 0), never analysed (no correlation), the target moving first (negative lead).
    e("HPG", "NKG", 0.05, 1, 0),
    e("HPG", "TLH", null, null, 0),
    e("HPG", "SMC", 0.3, -2),
  ],
};

describe("propagate", () => {
  it("multiplies the correlations and adds the leads along each path of at most 3 links, keeping the strongest path", () => {
    const moves = propagate(chain, [{ node: "IRON_ORE", movePct: 8 }]);
    expect(moves.map((m) => [m.symbol, Number(m.expectedMovePct.toFixed(6)), m.leadDays, m.path.join(">"), m.paths])).toEqual([
      ["HPG", 3.2, 3, "IRON_ORE>HPG", 2],
      ["HSG", 1.6, 4, "IRON_ORE>HPG>HSG", 2],
      ["CTD", 0.48, 6, "IRON_ORE>HPG>HSG>CTD", 2],
      // 4 links through HPG, 3 through the direct link to HSG.
      ["VHM", 0.12, 6, "IRON_ORE>HSG>CTD>VHM", 1],
    ]);
    // NKG's link is not significant, TLH's never measured, SMC moves first: none of them is reached.
    const hsg = moves[1]!;
    expect(hsg.pathCorrelation).toBeCloseTo(0.2, 12);
    expect(hsg.message).toBe("HSG may follow in ~4 trading days (+1.6 %, via IRON_ORE → HPG → HSG)");
    expect(hsg).toMatchObject({ from: "IRON_ORE", fromMovePct: 8, name: "HSG name", lane: "Midstream" });
  });

  it("never visits a node twice (the HSG ⇄ HPG cycle ends there)", () => {
    const moves = propagate(chain, [{ node: "HPG", movePct: 10 }]);
    expect(moves.map((m) => m.path.join(">"))).toEqual(["HPG>HSG", "HPG>HSG>CTD", "HPG>HSG>CTD>VHM"]);
  });

  it("follows every link with a correlation when asked, and shorter paths when asked", () => {
    expect(propagate(chain, [{ node: "HPG", movePct: 10 }], { links: "all", maxDepth: 1 }).map((m) => m.symbol)).toEqual(["HSG", "NKG"]);
    expect(propagate(chain, [{ node: "IRON_ORE", movePct: 8 }], { minExpectedPct: 1 }).map((m) => m.symbol)).toEqual(["HPG", "HSG"]);
  });

  it("takes a node that is not listed by its name, keeps the sign of a negative link, and says when a move is the same day", () => {
    const moves = propagate(chain, [{ node: "scrap YARDS", movePct: 4 }], { maxDepth: 2 });
    expect(moves[0]).toMatchObject({ symbol: "HPG", from: "Scrap yards", leadDays: 2 });
    expect(moves[0]!.expectedMovePct).toBeCloseTo(-2, 12);
    expect(moves[0]!.message).toBe("HPG may follow in ~2 trading days (−2.0 %, via Scrap yards → HPG)");
    const sameDay = propagate({ nodes: chain.nodes, edges: [e("HSG", "HPG", 0.2, 0)] }, [{ node: "hsg", movePct: 5 }]);
    expect(sameDay[0]!.message).toBe("HPG may move the same day (+1.0 %, via HSG → HPG)");
  });

  it("names a signal whose node is not in the chain", () => {
    expect(() => propagate(chain, [{ node: "FPT", movePct: 3 }])).toThrow(ChainSignalError);
    expect(() => propagate(chain, [{ node: "FPT", movePct: 3 }])).toThrow(/FPT is not a node of the value chain/);
  });
});

describe("linksOf", () => {
  it("lists each symbol's upstream then downstream links; symbols not in the chain apart", () => {
    const { links, notInChain } = linksOf(chain, ["HSG", "FPT"]);
    expect(links.map((l) => `${l.direction} ${l.linkedSymbol ?? l.linkedName} ${l.correlation} ${l.leadTimeDays}`)).toEqual([
      "upstream HPG 0.5 1",
      "upstream IRON_ORE 0.1 3",
      "downstream CTD 0.3 2",
      "downstream HPG 0.2 0",
    ]);
    expect(notInChain).toEqual(["FPT"]);
    expect(linksOf(chain, ["HPG"], "significant").links.map((l) => l.linkedSymbol ?? l.linkedName)).toEqual(["HSG", "IRON_ORE", "Scrap yards", "HSG", "SMC"]);
  });
});
