import { describe, expect, it } from "vitest";
import { pinnedBanner, pinnedNodesFromResult, pinnedRunView, pinRun } from "./pinnedRun";

const result = {
  nodes: {
    trigger: { status: "success", durationMs: 1, output: { event: { kind: "manual" } } },
    candles: { status: "success", durationMs: 12, output: { candles: { VNM: { truncated: true, size: 250, head: [1], tail: [2] } } } },
    rsi: { status: "failed", durationMs: 3, error: "RSI: period must be positive" },
    signals: { status: "skipped" },
    junk: { status: "exploded" },
    gone: { status: "success", output: { x: 1 } },
    notAnObject: 7,
  },
};

describe("pinned run", () => {
  it("maps a stored log result to per-node status and output, dropping unreadable and removed nodes", () => {
    const pinned = pinnedNodesFromResult(result, ["trigger", "candles", "rsi", "signals", "junk", "notAnObject"]);
    expect(pinned).toEqual({
      trigger: { status: "success", durationMs: 1, output: { event: { kind: "manual" } } },
      candles: { status: "success", durationMs: 12, output: { candles: { VNM: { truncated: true, size: 250, head: [1], tail: [2] } } } },
      rsi: { status: "failed", durationMs: 3, error: "RSI: period must be positive" },
      signals: { status: "skipped" },
    });
    expect(Object.keys(pinnedNodesFromResult(result))).toContain("gone");
  });

  it("reads anything that is not a result as no nodes", () => {
    expect(pinnedNodesFromResult(null)).toEqual({});
    expect(pinnedNodesFromResult({ nodes: [] })).toEqual({});
    expect(pinnedNodesFromResult("x")).toEqual({});
  });

  it("pins a log row and colours the canvas like a finished live run, without outputs", () => {
    const pinned = pinRun({ id: "r1", status: "failed", executedAt: new Date("2026-03-02T07:05:00Z"), result }, ["trigger", "rsi"]);
    expect(pinned.executedAt).toBe("2026-03-02T07:05:00.000Z");
    expect(pinnedRunView(pinned)).toEqual({
      runId: "r1",
      status: "failed",
      nodes: { trigger: { status: "success", durationMs: 1 }, rsi: { status: "failed", durationMs: 3, error: "RSI: period must be positive" } },
    });
    expect(pinRun({ id: "r2", status: "pending", executedAt: null, result: null }).status).toBe("starting");
  });

  it("says when the pinned run started, in GMT+7", () => {
    expect(pinnedBanner("2026-03-02T07:05:00.000Z")).toBe("Showing run of 02/03/2026 14:05 (GMT+7) — outputs pinned; run again to refresh");
  });
});
