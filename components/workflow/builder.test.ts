import { describe, expect, it } from "vitest";
import { checkGraph } from "@/lib/workflows/graph";
import { defaultRegistry as registry } from "@/lib/workflows/registry";
import { canvasReducer, initCanvas } from "./builderState";
import { copySelection, pasteClip, PASTE_OFFSET } from "./clipboard";
import { checkConnection } from "./connection";
import { record, redo, startHistory, undo } from "./history";
import { paramFields, parseFieldText } from "./params";
import { applyDone, applyNodeEvent, parseNodeEvent, parseQueuedEvent, queuedText, startRun } from "./runState";
import { freshId, fromSavedGraph, graphKey, newNode, toSavedGraph, type CanvasNode } from "./serialise";

const node = (id: string, type: string, x = 0): CanvasNode => newNode(registry.get(type)!, id, { x, y: 0 });

describe("history", () => {
  it("undoes and redoes, and a new change drops the redo branch", () => {
    let h = startHistory(1);
    h = record(h, 2);
    h = record(h, 3);
    h = undo(h);
    expect(h.present).toBe(2);
    h = redo(h);
    expect(h.present).toBe(3);
    h = undo(undo(h));
    expect(h.present).toBe(1);
    h = record(h, 9);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(undo(startHistory(0))).toEqual(startHistory(0));
  });

  it("does not record an equal snapshot and keeps at most `limit` steps", () => {
    let h = startHistory(0);
    h = record(h, 0);
    expect(h.past).toEqual([]);
    for (let i = 1; i <= 10; i++) h = record(h, i, Object.is, 3);
    expect(h.past).toEqual([7, 8, 9]);
  });
});

describe("serialisation", () => {
  it("saves React Flow's objects as schema version 1 without the canvas's own keys, and reads them back", () => {
    const nodes = [{ ...node("manual-1", "trigger.manual"), selected: true, measured: { width: 10, height: 5 }, dragging: false }, node("candles-1", "data.candles", 240)];
    const edges = [{ id: "e1", source: "manual-1", sourceHandle: "trigger", target: "candles-1", targetHandle: "trigger", selected: true }];
    const saved = toSavedGraph({ nodes, edges, viewport: { x: 1, y: 2, zoom: 1.5 } });
    expect(saved.schemaVersion).toBe(1);
    expect(saved.nodes[0]).toEqual({ id: "manual-1", type: "trigger.manual", position: { x: 0, y: 0 }, data: { params: {} } });
    expect(saved.edges[0]).toEqual({ id: "e1", source: "manual-1", sourceHandle: "trigger", target: "candles-1", targetHandle: "trigger" });
    expect(checkGraph(JSON.parse(JSON.stringify(saved)), registry).problems).toEqual([]);
    const back = fromSavedGraph(saved);
    expect(toSavedGraph(back)).toEqual(saved);
    expect(graphKey(back)).toBe(graphKey({ nodes, edges }));
  });

  it("reads an empty or legacy json_graph as an empty canvas", () => {
    expect(fromSavedGraph({})).toEqual({ nodes: [], edges: [] });
    expect(fromSavedGraph(null)).toEqual({ nodes: [], edges: [] });
  });

  it("gives new nodes their defaults (and starter values where a parameter has none) and fresh ids", () => {
    expect(node("x", "indicator.rsi").data.params).toEqual({ period: 14 });
    expect(registry.get("trigger.schedule")!.params.safeParse(node("s", "trigger.schedule").data.params).success).toBe(true);
    expect(freshId("indicator.rsi", new Set(["rsi-1", "rsi-2"]))).toBe("rsi-3");
  });
});

describe("connection check", () => {
  const nodes = [node("c", "data.candles"), node("rsi", "indicator.rsi"), node("sig", "output.signals"), node("th", "logic.threshold"), node("sma", "indicator.sma")];

  it("refuses a series into a true/false input, saying why", () => {
    const r = checkConnection(registry, nodes, [], { source: "rsi", sourceHandle: "series", target: "sig", targetHandle: "condition" });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/a series of numbers is not a true\/false condition/);
  });

  it("accepts matching types and refuses a second wire into one input, a self-loop and a cycle", () => {
    const ok = { source: "c", sourceHandle: "close", target: "rsi", targetHandle: "series" };
    expect(checkConnection(registry, nodes, [], ok)).toEqual({ ok: true });
    const edges = [{ id: "e1", ...ok }];
    expect(checkConnection(registry, nodes, edges, { source: "sma", sourceHandle: "series", target: "rsi", targetHandle: "series" }).ok).toBe(false);
    expect(checkConnection(registry, nodes, [], { source: "rsi", sourceHandle: "series", target: "rsi", targetHandle: "series" }).ok).toBe(false);
    const chain = [{ id: "a", source: "rsi", sourceHandle: "series", target: "sma", targetHandle: "series" }];
    const back = checkConnection(registry, nodes, chain, { source: "sma", sourceHandle: "series", target: "rsi", targetHandle: "series" });
    expect(!back.ok && back.reason).toMatch(/cycle/);
  });
});

describe("copy and paste", () => {
  it("pastes the selected nodes and the edges between them with new ids, offset", () => {
    const nodes = [{ ...node("c", "data.candles"), selected: true }, { ...node("rsi-1", "indicator.rsi", 200), selected: true }, node("sma-1", "indicator.sma")];
    const edges = [
      { id: "e1", source: "c", sourceHandle: "close", target: "rsi-1", targetHandle: "series" },
      { id: "e2", source: "c", sourceHandle: "close", target: "sma-1", targetHandle: "series" },
    ];
    const clip = copySelection(nodes, edges)!;
    expect(clip.nodes.map((n) => n.id)).toEqual(["c", "rsi-1"]);
    expect(clip.edges.map((e) => e.id)).toEqual(["e1"]);
    const pasted = pasteClip(clip, nodes, edges);
    expect(pasted.nodes.map((n) => n.id)).toEqual(["candles-1", "rsi-2"]);
    expect(pasted.nodes[1]!.position).toEqual({ x: 200 + PASTE_OFFSET, y: PASTE_OFFSET });
    expect(pasted.edges[0]).toMatchObject({ source: "candles-1", target: "rsi-2", sourceHandle: "close", targetHandle: "series" });
    expect(copySelection([node("x", "indicator.sma")], [])).toBeNull();
  });
});

describe("canvas reducer", () => {
  it("records finished changes only, and undo/redo restore the graph", () => {
    let s = initCanvas({ nodes: [], edges: [] });
    s = canvasReducer(s, { type: "add", nodes: [node("c", "data.candles"), node("rsi-1", "indicator.rsi", 300)] });
    s = canvasReducer(s, { type: "connect", connection: { source: "c", sourceHandle: "close", target: "rsi-1", targetHandle: "series" } });
    expect(s.edges).toHaveLength(1);
    s = canvasReducer(s, { type: "nodes", changes: [{ type: "position", id: "c", position: { x: 50, y: 50 }, dragging: true }] });
    s = canvasReducer(s, { type: "nodes", changes: [{ type: "select", id: "c", selected: true }] });
    expect(s.history.past).toHaveLength(2);
    s = canvasReducer(s, { type: "nodes", changes: [{ type: "position", id: "c", position: { x: 60, y: 60 }, dragging: false }] });
    expect(s.history.past).toHaveLength(3);
    s = canvasReducer(s, { type: "nodes", changes: [{ type: "remove", id: "rsi-1" }] });
    expect(s.edges).toEqual([]);
    s = canvasReducer(s, { type: "undo" });
    expect(s.nodes.map((n) => n.id)).toEqual(["c", "rsi-1"]);
    expect(s.edges).toHaveLength(1);
    s = canvasReducer(s, { type: "undo" });
    expect(s.nodes[0]!.position).toEqual({ x: 0, y: 0 });
    s = canvasReducer(s, { type: "redo" });
    expect(s.nodes[0]!.position).toEqual({ x: 60, y: 60 });
    s = canvasReducer(s, { type: "data", nodeId: "rsi-1", data: { params: { period: 7 } } });
    expect(s.history.future).toEqual([]);
    expect(s.nodes[1]!.data.params).toEqual({ period: 7 });
  });
});

describe("parameter fields", () => {
  it("derives labelled fields from a node's zod schema and reads their text back", () => {
    const fields = paramFields(registry.get("data.candles")!.params);
    expect(fields.map((f) => [f.name, f.kind])).toEqual([["symbols", "list"], ["resolution", "choice"], ["lookback", "number"], ["lookbackUnit", "choice"]]);
    expect(parseFieldText(fields[0]!, "vnm, fpt hpg")).toEqual(["VNM", "FPT", "HPG"]);
    expect(parseFieldText(fields[2]!, "1,250")).toBe(1250);
    expect(parseFieldText(fields[2]!, "abc")).toBe("abc");
    expect(paramFields(registry.get("indicator.macd")!.params).map((f) => f.name)).toEqual(["fast", "slow", "signal"]);
  });
});

describe("run events", () => {
  it("folds node states and the final event", () => {
    let run = startRun("r1", ["a", "b"]);
    expect(run.nodes.a).toEqual({ status: "pending" });
    const ev = parseNodeEvent('{"nodeId":"a","status":"failed","durationMs":12,"error":"boom"}')!;
    run = applyNodeEvent(run, ev);
    expect(run.nodes.a).toEqual({ status: "failed", durationMs: 12, error: "boom" });
    expect(parseNodeEvent("not json")).toBeNull();
    expect(parseNodeEvent('{"nodeId":"a","status":"weird"}')).toBeNull();
    expect(applyDone(run, '{"status":"failed","durationMs":40}')).toMatchObject({ status: "failed", durationMs: 40 });
    expect(applyDone(run, '{"status":"success"}').status).toBe("success");
    expect(applyDone(run, '{"status":"failed","durationMs":0,"error":"interrupted"}')).toMatchObject({ status: "failed", error: "interrupted" });
  });

  it("reads the queued event and words the wait", () => {
    expect(parseQueuedEvent('{"ahead":2}')).toBe(2);
    expect(parseQueuedEvent('{"ahead":-1}')).toBeNull();
    expect(parseQueuedEvent("nope")).toBeNull();
    expect(queuedText(0)).toBe("Queued: starting shortly…");
    expect(queuedText(1)).toBe("Queued: 1 run ahead of this one…");
    expect(queuedText(2)).toBe("Queued: 2 runs ahead of this one…");
  });
});
