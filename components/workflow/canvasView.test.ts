import { describe, expect, it } from "vitest";
import { defaultRegistry as registry } from "@/lib/workflows/registry";
import { canvasReducer, initCanvas } from "./builderState";
import { arrangeCanvas, LEGIBLE_ZOOM, legibleFit, NODE_FONT_PX } from "./canvasView";
import { newNode } from "./serialise";

describe("legibleFit", () => {
  it("shows a small graph whole and centred, never above the largest zoom", () => {
    const v = legibleFit({ x: 0, y: 0, width: 400, height: 200 }, { width: 1000, height: 600 });
    expect(v.zoom).toBe(1.2);
    expect(v.x).toBeCloseTo((1000 - 400 * 1.2) / 2);
    expect(v.y).toBeCloseTo((600 - 200 * 1.2) / 2);
  });

  it("never zooms below legible node text: a big graph is shown from its left and top edges", () => {
    const v = legibleFit({ x: 100, y: 50, width: 3000, height: 2000 }, { width: 900, height: 600 }, { padding: 40 });
    expect(v.zoom).toBe(LEGIBLE_ZOOM);
    expect(NODE_FONT_PX * v.zoom).toBeGreaterThanOrEqual(11);
    expect(v.x + 100 * v.zoom).toBeCloseTo(40);
    expect(v.y + 50 * v.zoom).toBeCloseTo(40);
  });
});

describe("Arrange", () => {
  it("lays the canvas out as one undoable step", () => {
    const trigger = newNode(registry.get("trigger.manual")!, "t", { x: 500, y: 500 });
    const universe = newNode(registry.get("data.universe")!, "u", { x: 500, y: 500 });
    const edges = [{ id: "e", source: "t", target: "u", sourceHandle: null, targetHandle: null }];
    let state = initCanvas({ nodes: [trigger, universe], edges });
    const positions = arrangeCanvas(state.nodes, state.edges, registry, (id) => (id === "t" ? { width: 200, height: 60 } : undefined));
    expect(positions.t).toEqual({ x: 500, y: expect.any(Number) });
    expect(positions.u!.x).toBeGreaterThanOrEqual(500 + 200);
    state = canvasReducer(state, { type: "positions", positions });
    expect(state.nodes.find((n) => n.id === "u")!.position).toEqual(positions.u);
    state = canvasReducer(state, { type: "undo" });
    expect(state.nodes.map((n) => n.position)).toEqual([{ x: 500, y: 500 }, { x: 500, y: 500 }]);
  });
});
