import { describe, expect, it } from "vitest";
import { checkEdge, checkNode, describeChange, edgeFormValues, serverFieldErrors } from "./forms";
import { edgeLabel, edgeLook, filterChain, moveText, moveTone, NO_FILTER, searchNodes, sectorColour } from "./model";
import { lanesAround, LANE_PAD, NODE_WIDTH } from "./layout";
import type { AnalysisJson, ChainEdgeJson, ChainJson, ChainNodeJson } from "./types";

const node = (id: string, sector: string, nodeType: ChainNodeJson["nodeType"], symbol: string | null = null): ChainNodeJson => ({
  id, symbol, name: `Node ${id}`, sector, nodeType, description: null, createdAt: null, market: null,
});
const analysis = (significant: boolean): AnalysisJson => ({
  id: 1, computedAt: "2026-01-02T18:00:00+07:00", computedBy: null, windowYears: 3, asOf: "2026-01-02", maxLag: 2, n: 700,
  leadTimeDays: 3, correlation: 0.49, significant, band: 0.12, plainBand: 0.07, weight: significant ? 0.49 : 0, lags: [],
});
const edge = (id: string, s: string, t: string, extra: Partial<ChainEdgeJson> = {}): ChainEdgeJson => ({
  id, sourceId: s, targetId: t, relationship: null, correlationCoeff: null, leadTimeDays: null, weight: null,
  createdAt: null, updatedAt: null, latestAnalysis: null, ...extra,
});

const chain: ChainJson = {
  nodes: [node("ore", "Commodities", "Upstream", "IRON_ORE"), node("hpg", "Steel", "Midstream", "HPG"), node("hsg", "Steel", "Midstream", "HSG"),
    node("ctd", "Construction", "Downstream", "CTD"), node("plx", "Energy", "Downstream", "PLX")],
  edges: [
    edge("e1", "ore", "hpg", { correlationCoeff: 0.49, leadTimeDays: 3, weight: 0.49, latestAnalysis: analysis(true) }),
    edge("e2", "ore", "hsg", { correlationCoeff: 0.05, leadTimeDays: -2, weight: 0, latestAnalysis: analysis(false) }),
    edge("e3", "hpg", "ctd"),
  ],
};

describe("the graph's reading of an edge", () => {
  it("labels a computed link with ρ and the lead, an uncomputed one as such", () => {
    expect(edgeLabel({ correlationCoeff: 0.4912, leadTimeDays: 3 })).toBe("ρ 0.49 · leads 3 d");
    expect(edgeLabel({ correlationCoeff: -0.31, leadTimeDays: -2 })).toBe("ρ −0.31 · follows 2 d");
    expect(edgeLabel({ correlationCoeff: 0.2, leadTimeDays: 0 })).toBe("ρ 0.20 · same day");
    expect(edgeLabel({ correlationCoeff: null, leadTimeDays: null })).toBe("not computed yet");
  });
  it("draws by weight, sign and significance: dashed unless the latest analysis is beyond the corrected band", () => {
    expect(edgeLook(chain.edges[0]!)).toEqual({ label: "ρ 0.49 · leads 3 d", tone: "positive", width: 3.7, dashed: false, significant: true });
    expect(edgeLook(chain.edges[1]!)).toMatchObject({ tone: "positive", width: 1.5, dashed: true, significant: false });
    expect(edgeLook(chain.edges[2]!)).toMatchObject({ tone: "none", dashed: true, label: "not computed yet" });
    expect(edgeLook(edge("x", "a", "b", { correlationCoeff: -0.6, weight: 1, latestAnalysis: analysis(true) }))).toMatchObject({ tone: "negative", width: 6 });
  });
});

describe("filters", () => {
  it("keeps everything without a filter", () => {
    const f = filterChain(chain, NO_FILTER);
    expect(f.nodes).toHaveLength(5);
    expect(f.edges).toHaveLength(3);
    expect(f.context.size).toBe(0);
  });
  it("a sector keeps its nodes, the links touching them, and their other ends as context", () => {
    const f = filterChain(chain, { ...NO_FILTER, sector: "Steel" });
    expect(f.nodes.map((n) => n.id).sort()).toEqual(["ctd", "hpg", "hsg", "ore"]);
    expect([...f.context].sort()).toEqual(["ctd", "ore"]);
    expect(f.edges.map((e) => e.id)).toEqual(["e1", "e2", "e3"]);
  });
  it("a lane, and significant links only", () => {
    const f = filterChain(chain, { sector: "", lane: "Upstream", significantOnly: true });
    expect(f.edges.map((e) => e.id)).toEqual(["e1"]);
    expect(f.nodes.map((n) => n.id).sort()).toEqual(["hpg", "ore"]);
    expect(filterChain(chain, { ...NO_FILTER, significantOnly: true }).nodes).toHaveLength(5);
  });
});

describe("the day's move and the sectors", () => {
  it("in the price board's colours and words", () => {
    expect([moveTone(1.2), moveTone(-0.5), moveTone(0), moveTone(null)]).toEqual(["up", "down", "unchanged", "none"]);
    expect([moveText(1.234), moveText(-0.5), moveText(0), moveText(null)]).toEqual(["+1.23 %", "−0.50 %", "0.00 %", ""]);
  });
  it("gives every sector a steady colour", () => {
    expect(sectorColour("Steel")).toMatch(/^#[0-9a-f]{6}$/);
    expect(sectorColour("Fisheries")).toBe(sectorColour("Fisheries"));
  });
  it("finds a node by symbol first, then by name", () => {
    expect(searchNodes(chain.nodes, "hpg").map((n) => n.id)).toEqual(["hpg"]);
    expect(searchNodes(chain.nodes, "node h").map((n) => n.id)).toEqual(["hpg", "hsg"]);
    expect(searchNodes(chain.nodes, "  ")).toEqual([]);
  });
});

describe("lanes", () => {
  it("stand in their order even when a filter empties one", () => {
    const lanes = lanesAround([chain.nodes[1]!], { hpg: { x: 0, y: 44 } });
    expect(lanes.map((l) => l.lane)).toEqual(["Upstream", "Midstream", "Downstream"]);
    expect(lanes[1]!.x).toBe(-LANE_PAD);
    expect(lanes[0]!.x).toBeLessThan(lanes[1]!.x - NODE_WIDTH);
    expect(lanes[2]!.x).toBeGreaterThan(lanes[1]!.x + NODE_WIDTH);
  });
});

describe("forms", () => {
  it("checks a node with the chain's own schema, errors by field", () => {
    const bad = checkNode({ name: "", sector: "Steel", nodeType: "Sideways", symbol: "hp g", description: "" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.name).toBe("name is required");
      expect(bad.errors.nodeType).toMatch(/Upstream, Midstream or Downstream/);
      expect(bad.errors.symbol).toMatch(/letters, digits/);
    }
    expect(checkNode({ name: "Iron ore", sector: "Commodities", nodeType: "Upstream", symbol: "", description: "" })).toEqual({
      ok: true,
      body: { name: "Iron ore", sector: "Commodities", nodeType: "Upstream", symbol: null, description: null },
    });
  });
  it("sends only what changed in an edit", () => {
    const before = chain.nodes[1]!;
    expect(checkNode({ name: "Hoa Phat", sector: "Steel", nodeType: "Midstream", symbol: "HPG", description: "" }, before)).toEqual({ ok: true, body: { name: "Hoa Phat" } });
  });
  it("checks an edge: a self-loop, ρ outside [−1, 1], a lead that is not whole", () => {
    const v = { ...edgeFormValues(), sourceId: "6f1c1f2e-0000-4000-8000-000000000001", targetId: "6f1c1f2e-0000-4000-8000-000000000001", correlationCoeff: "1.5", leadTimeDays: "2.5" };
    const r = checkEdge(v);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.targetId).toMatch(/cannot link a node to itself/);
      expect(r.errors.correlationCoeff).toMatch(/between -1 and 1/);
      expect(r.errors.leadTimeDays).toMatch(/whole number/);
    }
    expect(checkEdge(edgeFormValues())).toEqual({ ok: false, errors: { sourceId: expect.any(String), targetId: expect.any(String) } });
  });
  it("puts the server's 400 reason next to its fields", () => {
    expect(serverFieldErrors("targetId: an edge cannot link a node to itself: choose another target; weight: weight must be between 0 and 1", ["targetId", "weight"])).toEqual({
      targetId: "an edge cannot link a node to itself: choose another target",
      weight: "weight must be between 0 and 1",
    });
    expect(serverFieldErrors("symbol: ZZZ is not a known symbol (search …); leave it empty for a node that is not listed", ["symbol"])).toEqual({
      symbol: "ZZZ is not a known symbol (search …); leave it empty for a node that is not listed",
    });
    expect(serverFieldErrors("Send a node as a JSON object.", ["symbol"])).toEqual({ form: "Send a node as a JSON object." });
  });
  it("tells a change's before → after in words", () => {
    const base = { id: 1, changedAt: "", userId: null, userEmail: null, entity: "edge" as const, entityId: "e1", label: "" };
    expect(describeChange({ ...base, action: "update", before: { correlationCoeff: null, leadTimeDays: null, sourceName: "A" }, after: { correlationCoeff: 0.49, leadTimeDays: 3, sourceName: "A" } })).toEqual([
      "ρ: — → 0.49",
      "lead (days): — → 3",
    ]);
    expect(describeChange({ ...base, entity: "node", action: "create", before: null, after: { name: "Iron ore", sector: "Commodities", nodeType: "Upstream", symbol: null } })).toEqual([
      "name: Iron ore",
      "sector: Commodities",
      "lane: Upstream",
    ]);
  });
});
