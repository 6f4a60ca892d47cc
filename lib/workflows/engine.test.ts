import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runWorkflow, type NodeStateEvent } from "./engine";
import type { WorkflowGraph } from "./graph";
import { defineNode } from "./nodes/define";
import { bars, testContext } from "./nodes/test-context";
import { BUILT_IN_NODES, createRegistry } from "./registry";

/** Test nodes: a source of a number, an adder, one that throws, one that waits. */
const num = { id: "out", label: "Out", type: "series" as const };
const source = defineNode({
  type: "test.source",
  label: "Source",
  category: "data",
  description: "",
  inputs: [],
  outputs: [num],
  params: z.object({ value: z.number() }),
  execute: (_i, p) => ({ out: p.value }),
});
const add = defineNode({
  type: "test.add",
  label: "Add",
  category: "logic",
  description: "",
  inputs: [
    { id: "a", label: "A", type: "series", required: true },
    { id: "b", label: "B", type: "series" },
  ],
  outputs: [num],
  params: z.object({}),
  execute: (i) => ({ out: (i.a as number) + ((i.b as number | undefined) ?? 0) }),
});
const boom = defineNode({
  type: "test.boom",
  label: "Boom",
  category: "logic",
  description: "",
  inputs: [{ id: "a", label: "A", type: "series" }],
  outputs: [num],
  params: z.object({}),
  execute: () => {
    throw new Error("division by zero");
  },
});
const slow = defineNode({
  type: "test.slow",
  label: "Slow",
  category: "logic",
  description: "",
  inputs: [{ id: "a", label: "A", type: "series" }],
  outputs: [num],
  params: z.object({ ms: z.number() }),
  execute: (_i, p, ctx) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => resolve({ out: 1 }), p.ms);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(t);
        reject(new Error("aborted"));
      });
    }),
});
const big = defineNode({
  type: "test.big",
  label: "Big",
  category: "data",
  description: "",
  inputs: [],
  outputs: [num],
  params: z.object({}),
  execute: () => ({ out: { HPG: { times: Array.from({ length: 1000 }, (_, i) => i), values: Array.from({ length: 1000 }, (_, i) => (i < 2 ? NaN : i)) } } }),
});
const registry = createRegistry([...BUILT_IN_NODES, source, add, boom, slow, big]);

const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, position: { x: 0, y: 0 }, data: { params } });
const e = (source: string, target: string, targetHandle = "a") => ({ id: `${source}-${target}-${targetHandle}`, source, sourceHandle: null, target, targetHandle });
const graph = (nodes: ReturnType<typeof n>[], edges: ReturnType<typeof e>[]): WorkflowGraph => ({ schemaVersion: 1, nodes, edges });

async function run(g: WorkflowGraph, options: Parameters<typeof runWorkflow>[3] = {}) {
  const events: NodeStateEvent[] = [];
  const result = await runWorkflow(g, registry, testContext(), { ...options, onNodeState: (ev) => events.push(ev) });
  return { result, events, order: events.filter((ev) => ev.status === "running").map((ev) => ev.nodeId) };
}

describe("runWorkflow", () => {
  it("runs a diamond in topological order, deterministic by saved order, feeding outputs to inputs", async () => {
    // s → (x, y) → sum; saved out of order to show the order comes from the edges.
    const g = graph(
      [n("sum", "test.add"), n("y", "test.add"), n("x", "test.add"), n("s", "test.source", { value: 2 })],
      [e("s", "x"), e("s", "y"), e("x", "sum", "a"), e("y", "sum", "b")],
    );
    const { result, order, events } = await run(g);
    expect(order).toEqual(["s", "y", "x", "sum"]);
    expect(result.status).toBe("success");
    expect(result.errorMessage).toBeNull();
    expect(result.nodes.sum).toMatchObject({ status: "success", output: { out: 4 } });
    expect(events.filter((ev) => ev.nodeId === "s").map((ev) => ev.status)).toEqual(["pending", "running", "success"]);
    expect(typeof result.nodes.s?.durationMs).toBe("number");
  });

  it("a failing branch skips only its own downstream; the sibling branch still runs", async () => {
    const g = graph(
      [n("s", "test.source", { value: 1 }), n("bad", "test.boom"), n("after", "test.add"), n("good", "test.add"), n("end", "test.add")],
      [e("s", "bad"), e("bad", "after"), e("s", "good"), e("good", "end")],
    );
    const { result } = await run(g);
    expect(result.status).toBe("failed");
    expect(result.nodes.bad).toMatchObject({ status: "failed", error: "division by zero" });
    expect(result.nodes.after).toMatchObject({ status: "skipped", error: "not run: \"Boom\" (bad) did not succeed" });
    expect(result.nodes.end).toMatchObject({ status: "success", output: { out: 1 } });
    expect(result.errorMessage).toBe('"Boom" (bad) failed: division by zero');
  });

  it("fails a node past its own limit, with its name, and aborts its signal", async () => {
    const g = graph([n("s", "test.source", { value: 1 }), n("z", "test.slow", { ms: 5000 }), n("ok", "test.add")], [e("s", "z"), e("s", "ok")]);
    const t0 = Date.now();
    const { result } = await run(g, { nodeTimeoutMs: 50 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(result.nodes.z).toMatchObject({ status: "failed", error: "ran past its limit of 50 ms" });
    expect(result.nodes.ok?.status).toBe("success");
    expect(result.errorMessage).toBe('"Slow" (z) failed: ran past its limit of 50 ms');
  });

  it("stops at the whole-run limit: the running node fails, the rest are skipped", async () => {
    const g = graph([n("a", "test.slow", { ms: 60 }), n("b", "test.slow", { ms: 60 }), n("c", "test.slow", { ms: 60 })], []);
    const { result } = await run(g, { nodeTimeoutMs: 1000, runTimeoutMs: 100 });
    expect(result.nodes.a?.status).toBe("success");
    expect(result.nodes.b).toMatchObject({ status: "failed", error: "stopped: the run passed its limit of 100 ms" });
    expect(result.nodes.c).toMatchObject({ status: "skipped", error: "not started: the run passed its limit of 100 ms" });
    expect(result.status).toBe("failed");
    expect(result.errorMessage).toContain('"Slow" (b) failed: stopped: the run passed its limit of 100 ms');
  });

  it("stops when the caller cancels (e.g. the app shutting down)", async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error("shutting down")), 30);
    const { result } = await run(graph([n("a", "test.slow", { ms: 5000 }), n("b", "test.slow", { ms: 1 })], []), { signal: stop.signal });
    expect(result.nodes.a).toMatchObject({ status: "failed", error: "stopped: shutting down" });
    expect(result.nodes.b).toMatchObject({ status: "skipped", error: "not started: shutting down" });
  });

  it("truncates long series in the result, noting their size and summary; NaN becomes null", async () => {
    const { result } = await run(graph([n("b", "test.big")], []), { keepPoints: 3 });
    expect(result.nodes.b?.output).toEqual({
      out: {
        HPG: {
          // A series' times are stored as Vietnam time (epoch 0 is 07:00 there, so not a daily stamp).
          times: { truncated: true, size: 1000, head: ["1970-01-01T07:00:00+07:00", "1970-01-01T07:00:00.001+07:00", "1970-01-01T07:00:00.002+07:00"], tail: ["1970-01-01T07:00:00.997+07:00", "1970-01-01T07:00:00.998+07:00", "1970-01-01T07:00:00.999+07:00"], summary: { first: "1970-01-01T07:00:00+07:00", last: "1970-01-01T07:00:00.999+07:00" } },
          // What the left-out middle held: the finite values' count, min, max and mean.
          values: { truncated: true, size: 1000, head: [null, null, 2], tail: [997, 998, 999], summary: { count: 998, min: 2, max: 999, mean: 500.5 } },
        },
      },
    });
  });

  it("refuses a graph with a cycle before running anything", async () => {
    const g = graph([n("a", "test.add"), n("b", "test.add")], [e("a", "b"), e("b", "a")]);
    const { result, events } = await run(g);
    expect(events).toEqual([]);
    expect(result.status).toBe("failed");
    expect(result.problems?.map((p) => p.code)).toEqual(["cycle"]);
    expect(result.errorMessage).toBe('the graph was refused: a cycle runs through "Add" (a) → "Add" (b): a node cannot depend on its own output');
  });

  it("runs the built-in nodes end to end: candles → RSI → threshold → signals", async () => {
    const closes = [10, 9, 8, 7, 6, 5, 4, 5];
    const g: WorkflowGraph = {
      schemaVersion: 1,
      nodes: [
        n("t", "trigger.manual"),
        n("c", "data.candles", { symbols: ["HPG"] }),
        n("r", "indicator.rsi", { period: 3 }),
        n("th", "logic.threshold", { operator: "<", level: 30 }),
        n("s", "output.signals", { reason: "RSI(3) < 30", latestOnly: false }),
      ],
      edges: [
        { id: "1", source: "t", sourceHandle: null, target: "c", targetHandle: "trigger" },
        { id: "2", source: "c", sourceHandle: "close", target: "r", targetHandle: null },
        { id: "3", source: "r", sourceHandle: null, target: "th", targetHandle: null },
        { id: "4", source: "th", sourceHandle: null, target: "s", targetHandle: null },
      ],
    };
    const result = await runWorkflow(g, registry, testContext({ HPG: bars(closes) }));
    expect(result.status).toBe("success");
    // RSI(3) is 0 from bar 3 to 6 (losses only), then 1 gain of 1 vs avg loss 2/3: 100·(1/3)/(1/3+2/3) = 33.3.
    const signals = (result.nodes.s?.output as { signals: { time: string }[] }).signals;
    // Daily bars (the candles node's 1D) are written as their Vietnamese dates: T0 is Monday 5 Jan 2026.
    expect(signals.map((row) => row.time)).toEqual(["2026-01-08", "2026-01-09", "2026-01-10", "2026-01-11"]);
    const close = (result.nodes.c?.output as { close: Record<string, { times: unknown[]; resolution: string }> }).close.HPG!;
    expect(close).toMatchObject({ resolution: "1D", times: expect.arrayContaining(["2026-01-05", "2026-01-12"]) });
    expect((result.nodes.c?.output as { candles: Record<string, { time: unknown }[]> }).candles.HPG![0]!.time).toBe("2026-01-05");
  });
});
