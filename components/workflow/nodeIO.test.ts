import { describe, expect, it } from "vitest";
import { defaultRegistry } from "@/lib/workflows/registry";
import { nodeInputs } from "./nodeIO";
import type { CanvasEdge, CanvasNode } from "./serialise";

const node = (id: string, type: string, label?: string): CanvasNode => ({ id, type, position: { x: 0, y: 0 }, data: { params: {}, ...(label ? { label } : {}) } });

describe("a node's input in a run", () => {
  const nodes = [node("c", "data.candles", "Bars"), node("fast", "indicator.sma"), node("slow", "indicator.sma", "SMA 50"), node("cmp", "logic.compare")];
  const edges: CanvasEdge[] = [
    { id: "e1", source: "c", sourceHandle: "close", target: "fast" },
    { id: "e2", source: "slow", target: "cmp", targetHandle: "b" },
    { id: "e3", source: "fast", target: "cmp", targetHandle: "a" },
  ];
  const fastSeries = { HPG: { times: ["2026-11-30"], values: [25.1] } };
  const results = {
    c: { status: "success" as const, output: { close: { HPG: { times: ["2026-11-30"], values: [25.95] } }, candles: {} } },
    fast: { status: "success" as const, output: { series: fastSeries } },
    slow: { status: "failed" as const, error: "boom" },
  };

  it("is, wire by wire in the order of the node's ports, what the source stored on the wired port", () => {
    expect(nodeInputs("cmp", nodes, edges, defaultRegistry, results)).toEqual([
      { edgeId: "e3", label: "A ← SMA · Series", value: fastSeries, sourceStatus: "success" },
      { edgeId: "e2", label: "B ← SMA 50 · Series", value: undefined, sourceStatus: "failed" },
    ]);
    expect(nodeInputs("fast", nodes, edges, defaultRegistry, results)).toEqual([
      { edgeId: "e1", label: "Series ← Bars · Close", value: results.c.output.close, sourceStatus: "success" },
    ]);
  });

  it("is empty for a node nothing feeds, and undefined for a source that did not run", () => {
    expect(nodeInputs("c", nodes, edges, defaultRegistry, results)).toEqual([]);
    expect(nodeInputs("fast", nodes, edges, defaultRegistry, {})[0]).toMatchObject({ value: undefined, sourceStatus: null });
  });
});
