import { describe, expect, it } from "vitest";
import { checkGraph, GRAPH_LIMITS, parseGraphJson, validateGraph, type WorkflowGraph } from "./graph";
import { defaultRegistry } from "./registry";

const node = (id: string, type: string, params: Record<string, unknown> = {}, label?: string) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data: { params, ...(label ? { label } : {}) },
});
const edge = (source: string, sourceHandle: string | null, target: string, targetHandle: string | null) => ({
  id: `${source}.${sourceHandle}-${target}.${targetHandle}`,
  source,
  sourceHandle,
  target,
  targetHandle,
});

/** trigger → candles → RSI → threshold → signals */
function rsiGraph(): WorkflowGraph {
  return {
    schemaVersion: 1,
    nodes: [
      node("t", "trigger.manual"),
      node("c", "data.candles", { symbols: ["HPG", "HSG"] }),
      node("r", "indicator.rsi", { period: 14 }, "RSI 14"),
      node("th", "logic.threshold", { operator: "<", level: 30 }),
      node("s", "output.signals", { reason: "RSI below 30" }),
    ],
    edges: [edge("t", null, "c", "trigger"), edge("c", "close", "r", null), edge("r", null, "th", null), edge("th", null, "s", null)],
    viewport: { x: 0, y: 0, zoom: 1 },
  };
}

const problems = (g: unknown) => {
  const r = checkGraph(g, defaultRegistry);
  return r.problems;
};

describe("the graph schema", () => {
  it("accepts a valid graph and keeps React Flow's extra keys", () => {
    const g = rsiGraph();
    const withExtras = { ...g, nodes: g.nodes.map((n) => ({ ...n, measured: { width: 120, height: 40 }, selected: false })) };
    const r = checkGraph(withExtras, defaultRegistry);
    expect(r.problems).toEqual([]);
    expect(r.graph?.nodes[0]).toHaveProperty("measured.width", 120);
  });
  it("wants schemaVersion 1 and names the node of a malformed entry", () => {
    expect(problems({ ...rsiGraph(), schemaVersion: 2 })[0]?.message).toMatch(/schemaVersion/);
    const g = rsiGraph();
    const bad = { ...g, nodes: [...g.nodes, { id: "x", type: "indicator.sma", position: { x: "a", y: 0 }, data: {} }] };
    expect(problems(bad)[0]).toMatchObject({ code: "schema", nodeId: "x" });
  });
  it("refuses more than the node limit and a body over 1 MB before parsing it", () => {
    const many = { ...rsiGraph(), nodes: Array.from({ length: GRAPH_LIMITS.maxNodes + 1 }, (_, i) => node(`n${i}`, "trigger.manual")), edges: [] };
    expect(problems(many)[0]?.message).toMatch(/at most 200 nodes/);
    const huge = JSON.stringify({ ...rsiGraph(), padding: "x".repeat(5_000_000) });
    expect(parseGraphJson(huge, defaultRegistry).problems).toEqual([{ code: "too-large", message: "the graph is 5.0 MB; at most 1 MB can be saved" }]);
    expect(parseGraphJson("{", defaultRegistry).problems[0]?.message).toMatch(/not JSON/);
  });
  it("refuses a graph nested 200,000 levels deep with a problem, not a stack overflow", () => {
    const deep = `{"schemaVersion":1,"nodes":[],"edges":[],"extra":${"[".repeat(200_000)}${"]".repeat(200_000)}}`;
    expect(parseGraphJson(deep, defaultRegistry).problems).toEqual([{ code: "schema", message: expect.stringMatching(/nested more than 64 levels deep/) }]);
    const g = rsiGraph();
    const deepNode = { ...g, nodes: [...g.nodes, { ...node("d", "trigger.manual"), measured: JSON.parse("[".repeat(200_000) + "]".repeat(200_000)) }] };
    expect(() => checkGraph(deepNode, defaultRegistry)).not.toThrow();
    expect(problems(deepNode)[0]?.message).toMatch(/nested more than 64 levels deep/);
  });
  it("refuses a NUL (which PostgreSQL cannot store) in a label, an id or a parameter", () => {
    const g = rsiGraph();
    const withLabel = (label: string) => ({ ...g, nodes: g.nodes.map((n) => (n.id === "r" ? { ...n, data: { ...n.data, label } } : n)) });
    expect(problems(withLabel("RSI\u000014"))[0]?.message).toMatch(/nodes\.2\.data\.label contains a control character/);
    expect(problems({ ...g, nodes: [...g.nodes, node("x\u0000", "trigger.manual")] })[0]?.message).toMatch(/control character/);
    expect(problems({ ...g, nodes: g.nodes.map((n) => (n.id === "s" ? node("s", "output.signals", { reason: "RSI\u0000" }) : n)) })[0]?.message).toMatch(/control character/);
    // A label with a bell character reaches the schema, which names the field.
    expect(problems(withLabel("RSI\u0007"))[0]).toMatchObject({ code: "schema", nodeId: "r", message: expect.stringMatching(/label contains a control character/) });
  });
});

describe("validateGraph", () => {
  const validate = (g: WorkflowGraph) => validateGraph(g, defaultRegistry);

  it("finds nothing wrong with a good graph", () => {
    expect(validate(rsiGraph())).toEqual([]);
  });
  it("names an unknown node type", () => {
    const g = rsiGraph();
    g.nodes.push(node("z", "indicator.ichimoku"));
    expect(validate(g)).toEqual([{ code: "unknown-node-type", nodeId: "z", message: 'z: unknown node type "indicator.ichimoku"' }]);
  });
  it("names bad and missing parameters by node and field", () => {
    const g = rsiGraph();
    g.nodes[2]!.data.params = { period: 0 };
    g.nodes[3]!.data.params = { operator: "<" };
    const found = validate(g);
    expect(found.map((p) => [p.code, p.nodeId])).toEqual([
      ["bad-params", "r"],
      ["bad-params", "th"],
    ]);
    expect(found[0]?.message).toMatch(/^"RSI 14" \(r\): parameter period: /);
    expect(found[1]?.message).toMatch(/^"Threshold" \(th\): parameter level: /);
  });
  it("refuses a schedule more often than every minute", () => {
    const g = rsiGraph();
    g.nodes[0] = node("t", "trigger.schedule", { cron: "*/5 * * * * *" });
    expect(validate(g)[0]?.message).toMatch(/"Schedule" \(t\): parameter cron: cron: 6 fields: a seconds field would run more often than every minute/);
  });
  it("refuses a series wired into a boolean input and says why", () => {
    const g = rsiGraph();
    g.edges[3] = edge("r", null, "s", "condition"); // RSI straight into the signal list
    g.nodes.splice(3, 1);
    g.edges.splice(2, 1);
    const [p] = validate(g);
    expect(p).toMatchObject({ code: "wrong-handle-type", nodeId: "s" });
    expect(p?.message).toBe(
      '"Signal list" (s): input "Condition" cannot take "RSI 14" (r)\'s output "Series": a series of numbers is not a true/false condition: pass it through Compare, Threshold or Crosses first',
    );
  });
  it("names a missing required input, an unknown handle and an input wired twice", () => {
    const g = rsiGraph();
    g.edges = g.edges.filter((e) => e.target !== "th");
    expect(validate(g)).toEqual([{ code: "missing-input", nodeId: "th", message: '"Threshold" (th): input "Series" must be connected' }]);
    const h = rsiGraph();
    h.edges[1] = edge("c", null, "r", null); // candles has three outputs: which one?
    expect(validate(h).map((p) => p.code)).toEqual(["unknown-handle", "missing-input"]);
    const twice = rsiGraph();
    twice.edges.push(edge("c", "volume", "r", "series"));
    expect(validate(twice).map((p) => p.code)).toEqual(["input-wired-twice"]);
  });
  it("names every node of a cycle", () => {
    const g: WorkflowGraph = {
      schemaVersion: 1,
      nodes: [node("a", "logic.not"), node("b", "logic.not", {}, "Invert"), node("c", "logic.not"), node("d", "logic.not")],
      edges: [edge("a", null, "b", null), edge("b", null, "c", null), edge("c", null, "a", null), edge("c", null, "d", null)],
    };
    expect(validate(g)).toEqual([{ code: "cycle", nodeId: "a", message: 'a cycle runs through "NOT" (a) → "Invert" (b) → "NOT" (c): a node cannot depend on its own output' }]);
  });
});

describe("the registry", () => {
  it("gives every node type distinct port ids and a parameter schema that accepts its defaults or says what is missing", () => {
    for (const def of defaultRegistry.list()) {
      expect(new Set(def.inputs.map((p) => p.id)).size, def.type).toBe(def.inputs.length);
      expect(new Set(def.outputs.map((p) => p.id)).size, def.type).toBe(def.outputs.length);
      expect(def.outputs.length, def.type).toBeGreaterThan(0);
    }
    expect(defaultRegistry.list().map((d) => d.category)).toEqual(expect.arrayContaining(["trigger", "data", "indicator", "logic", "output"]));
  });
});
