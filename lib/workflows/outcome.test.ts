import { describe, expect, it } from "vitest";
import { runWorkflow } from "./engine";
import { GRAPH_SCHEMA_VERSION, type WorkflowGraph } from "./graph";
import { testContext } from "./nodes/test-context";
import { modeOf, runDigest, runOutcome, summariseRun, triggeringSeries, vnBarTimeText } from "./outcome";
import { defaultRegistry } from "./registry";
import { resultJson } from "./run";
import { candles, rsiGraph } from "./test-graphs";

async function storedRun(graph: WorkflowGraph, keepPoints?: number) {
  const result = await runWorkflow(graph, defaultRegistry, testContext(candles), keepPoints ? { keepPoints } : {});
  return { status: result.status, errorMessage: result.errorMessage, result: resultJson(result) };
}

describe("a run's outcome", () => {
  it("names each signal's symbol, the RSI value that triggered it and its Vietnamese date; the alert's text; the summary in a few words", async () => {
    const run = await storedRun(rsiGraph(30));
    expect(run.status).toBe("success");
    const outcome = runOutcome(run, rsiGraph(30));
    expect(outcome.mode).toBe("manual");
    expect(outcome.summary).toBe("1 signal: TLH · 1 alert: RSI oversold");
    expect(outcome.signals).toHaveLength(1);
    const [signal] = outcome.signals;
    // The 60th daily bar from Monday 5 Jan 2026 is 5 Mar 2026 (bars are calendar days here).
    expect(signal!.time).toBe("2026-03-05");
    expect(signal!.timeText).toBe("05/03/2026");
    expect(signal!.trigger!.label).toBe("RSI");
    expect(signal!.trigger!.value).toBeLessThan(30);
    expect(signal!.text).toBe(`TLH · RSI ${new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(signal!.trigger!.value)} · 05/03/2026`);
    expect(outcome.alerts).toEqual([
      expect.objectContaining({ title: "RSI oversold", severity: "warning", message: "Look at these", symbols: ["TLH"], barTimeText: "05/03/2026" }),
    ]);
    expect(outcome.alerts[0]!.signals[0]!.text).toBe(signal!.text);
  });

  it("a run whose condition holds for no symbol says 'No signals'", async () => {
    const run = await storedRun(rsiGraph(0));
    expect(runOutcome(run, rsiGraph(0))).toMatchObject({ summary: "No signals", tone: "quiet", signals: [], alerts: [] });
  });

  it("reads signals of a table stored truncated to its head and tail, counting what is not kept", async () => {
    // Every bar of TLH and HPG where RSI < 101 (all warm bars): more rows than are kept at each end.
    const run = await storedRun(rsiGraph(101, false), 5);
    const outcome = runOutcome(run, rsiGraph(101, false));
    const digest = runDigest(run.result);
    expect(digest.signalTables[0]).toMatchObject({ truncated: true });
    expect(outcome.signals).toHaveLength(10);
    expect(outcome.signalsNotShown).toBe((digest.signalTables[0] as { size: number }).size - 10);
    expect(outcome.summary).toMatch(/^\d+ signals: HPG, TLH · 1 alert: RSI oversold$/);
    // The head's points are kept in the stored RSI too, so the first signal has its value.
    expect(outcome.signals.at(-1)!.trigger).not.toBeNull();
  });

  it("a failed run says why, in short; queued and running runs say so", () => {
    const digest = runDigest(null);
    expect(summariseRun({ status: "failed", errorMessage: '"Bars" (c) failed: the symbol XYZ does not exist' }, digest)).toEqual({
      mode: "unknown",
      summary: 'Failed: "Bars" (c) failed: the symbol XYZ does not exist',
      tone: "failed",
    });
    expect(summariseRun({ status: "failed", errorMessage: "x".repeat(200) }, digest).summary).toHaveLength("Failed: ".length + 90);
    expect(summariseRun({ status: "failed", errorMessage: null }, digest).summary).toBe("Failed");
    expect(summariseRun({ status: "pending" }, digest).summary).toBe("Queued");
    expect(summariseRun({ status: "running" }, digest).summary).toBe("Running");
  });

  it("the mode: the result's recorded trigger first, else the trigger node's output; schedule reads 'scheduled'", () => {
    expect(runDigest({ trigger: { kind: "schedule", at: "x" }, nodes: {} }).triggerKind).toBe("schedule");
    expect(runDigest({ nodes: { t: { status: "success", output: { trigger: { kind: "manual" } } } } }).triggerKind).toBe("manual");
    expect(modeOf("schedule")).toBe("scheduled");
    expect(modeOf("workflow")).toBe("workflow");
    expect(modeOf(null)).toBe("unknown");
  });

  it("walks up through And/Not to the series a condition read; Compare's left side", () => {
    const g: WorkflowGraph = {
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [
        { id: "c", type: "data.candles", position: { x: 0, y: 0 }, data: { params: { symbols: ["HPG"], resolution: "1D", lookback: 100 } } },
        { id: "fast", type: "indicator.sma", position: { x: 0, y: 0 }, data: { params: { period: 5 } } },
        { id: "slow", type: "indicator.sma", position: { x: 0, y: 0 }, data: { params: { period: 20 } } },
        { id: "cmp", type: "logic.compare", position: { x: 0, y: 0 }, data: { params: { operator: ">" } } },
        { id: "not", type: "logic.not", position: { x: 0, y: 0 }, data: { params: {} } },
        { id: "s", type: "output.signals", position: { x: 0, y: 0 }, data: { params: { reason: "r" } } },
      ],
      edges: [
        { id: "e1", source: "c", sourceHandle: "close", target: "fast" },
        { id: "e2", source: "c", sourceHandle: "close", target: "slow" },
        { id: "e3", source: "slow", target: "cmp", targetHandle: "b" },
        { id: "e4", source: "fast", target: "cmp", targetHandle: "a" },
        { id: "e5", source: "cmp", target: "not" },
        { id: "e6", source: "not", target: "s" },
      ],
    };
    expect(triggeringSeries(g, "s")).toEqual({ nodeId: "fast", port: "series" });
    expect(triggeringSeries(g, "c")).toBeNull(); // nothing upstream of the bars
  });

  it("writes stored bar times day first", () => {
    expect(vnBarTimeText("2026-11-30")).toBe("30/11/2026");
    expect(vnBarTimeText("2026-11-30T14:05:00+07:00")).toBe("30/11/2026 14:05");
    expect(vnBarTimeText(null)).toBeNull();
  });
});
