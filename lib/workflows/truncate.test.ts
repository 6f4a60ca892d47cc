/**
 * The stored result's size budget (trimResultToBudget) and the summaries truncated arrays carry: a result
 * over the budget keeps the ends of its series, their size and summary, and fits; one under it is the same
 * object; the last resort keeps the node states only.
 */
import { describe, expect, it } from "vitest";
import { jsonBytes, storedOutputs, summarise, trimResultToBudget, type ResultTrimmed, type TruncatedArray } from "./truncate";

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 5, 17); // 00:00 in Vietnam

/** A run result as the engine gives it: `symbols` daily series of `points` each, on two nodes. */
function bigResult(symbols: number, points: number): Record<string, unknown> {
  const series = Object.fromEntries(
    Array.from({ length: symbols }, (_, k) => {
      const times = Array.from({ length: points }, (_, i) => START + i * DAY);
      const values = times.map((_, i) => (i === 3 ? Number.NaN : 100 + k + Math.sin(i / 5) * 10));
      return [`S${String(k).padStart(3, "0")}`, { times, values, resolution: "1D" }];
    }),
  );
  const output = storedOutputs({ series }, [{ id: "series", label: "Series", type: "series" }]);
  return {
    nodes: {
      t: { status: "success", durationMs: 1, output: { trigger: { kind: "manual", at: "2026-12-02T18:00:00+07:00" } } },
      r: { status: "success", durationMs: 5, output },
      s: { status: "success", durationMs: 2, output: { signals: [{ symbol: "S000", time: "2025-03-01", reason: "x" }] } },
    },
  };
}

const seriesOf = (result: Record<string, unknown>, symbol: string) =>
  ((result.nodes as Record<string, { output: { series: Record<string, { times: TruncatedArray; values: TruncatedArray }> } }>).r!.output.series)[symbol]!;

describe("the summaries of truncated arrays", () => {
  it("numbers: count of the finite ones, min, max, mean; times: first and last as written", () => {
    expect(summarise([1, null, 3, Number.NaN, 8], [1], [8])).toEqual({ count: 3, min: 1, max: 8, mean: 4 });
    expect(summarise([null, null], [null], [null])).toEqual({ count: 0 });
    expect(summarise(["a", "b", "c"], ["a"], ["c"])).toEqual({ first: "a", last: "c" });
    expect(summarise([{ time: "2025-01-06" }, { time: "2025-01-07" }], [{ time: "2025-01-06" }], [{ time: "2025-01-07" }])).toEqual({ first: "2025-01-06", last: "2025-01-07" });
    expect(summarise([true, false], [true], [false])).toBeUndefined();
  });

  it("a series truncated by the engine carries its values' statistics and its first and last time", () => {
    const s = seriesOf(bigResult(1, 300), "S000");
    expect(s.values).toMatchObject({ truncated: true, size: 300 });
    expect(s.values.head).toHaveLength(50);
    expect(s.values.summary!.count).toBe(299); // the NaN is left out
    expect(s.values.summary!.min).toBeCloseTo(90, 0);
    expect(s.values.summary!.max).toBeCloseTo(110, 0);
    expect(s.times.summary).toEqual({ first: "2025-01-06", last: s.times.tail.at(-1) });
    expect(s.times.tail.at(-1)).toBe("2025-11-01");
  });
});

describe("the stored result's budget", () => {
  it("a result under the budget is stored as it is, without a note", () => {
    const small = bigResult(2, 60);
    expect(jsonBytes(small)).toBeLessThan(64 * 1024);
    expect(trimResultToBudget(small, 64 * 1024)).toBe(small);
  });

  it("a result over the budget keeps fewer points at each end, with sizes and summaries, fits, and says so", () => {
    const full = bigResult(40, 250); // ~40 series × 100 kept points: well over 64 kB
    const before = jsonBytes(full);
    expect(before).toBeGreaterThan(64 * 1024);
    const stored = trimResultToBudget(full, 64 * 1024);
    expect(jsonBytes(stored)).toBeLessThanOrEqual(64 * 1024);
    const trimmed = stored.trimmed as ResultTrimmed;
    expect(trimmed).toEqual({ budgetBytes: 65_536, fullBytes: before, storedBytes: jsonBytes(stored), keptPoints: expect.any(Number) });
    expect(trimmed.keptPoints).toBeGreaterThanOrEqual(1);
    expect(trimmed.keptPoints).toBeLessThan(50);
    const fullS = seriesOf(full, "S039");
    const s = seriesOf(stored, "S039");
    // The ends of the full series, the same number on each side, times and values aligned.
    expect(s.values.head).toEqual(fullS.values.head.slice(0, trimmed.keptPoints));
    expect(s.values.tail).toEqual(fullS.values.tail.slice(-trimmed.keptPoints));
    expect(s.times.head).toEqual(fullS.times.head.slice(0, trimmed.keptPoints));
    expect(s.times.tail).toEqual(fullS.times.tail.slice(-trimmed.keptPoints));
    // Size and summaries survive the trimming.
    expect(s.values.size).toBe(250);
    expect(s.values.summary).toEqual(fullS.values.summary);
    expect(s.times.summary).toEqual({ first: "2025-01-06", last: fullS.times.tail.at(-1) });
    // Small outputs are left alone.
    expect((stored.nodes as Record<string, unknown>).s).toEqual((full.nodes as Record<string, unknown>).s);
    // The input is not changed.
    expect(jsonBytes(full)).toBe(before);
  });

  it("a short plain array is truncated too when the result does not fit otherwise, with a summary made from it", () => {
    const values = Array.from({ length: 90 }, (_, i) => i);
    const full = { nodes: Object.fromEntries(Array.from({ length: 60 }, (_, k) => [`n${k}`, { status: "success", output: { v: values } }])) };
    const stored = trimResultToBudget(full, 16 * 1024);
    expect(jsonBytes(stored)).toBeLessThanOrEqual(16 * 1024);
    const v = (stored.nodes as Record<string, { output: { v: TruncatedArray } }>).n0!.output.v;
    expect(v).toMatchObject({ truncated: true, size: 90, summary: { count: 90, min: 0, max: 89, mean: 44.5 } });
    expect(v.head[0]).toBe(0);
    expect(v.tail.at(-1)).toBe(89);
  });

  it("as a last resort, the outputs are left out and the node states kept, under the budget", () => {
    const wide = Object.fromEntries(Array.from({ length: 2000 }, (_, k) => [`S${k}`, "x".repeat(20)]));
    const full = {
      nodes: {
        a: { status: "success", durationMs: 3, output: { table: wide } },
        b: { status: "failed", durationMs: 1, error: "e".repeat(5000) },
      },
      trigger: { kind: "schedule", at: "2026-12-02T15:00:00+07:00" },
    };
    const stored = trimResultToBudget(full, 16 * 1024);
    // The trigger event beside the nodes stays: the lists read the run's mode from it.
    expect(stored.trigger).toEqual(full.trigger);
    expect(jsonBytes(stored)).toBeLessThanOrEqual(16 * 1024);
    expect(stored.trimmed).toMatchObject({ keptPoints: 0, outputsOmitted: true });
    const nodes = stored.nodes as Record<string, { status: string; output?: unknown; error?: string }>;
    expect(nodes.a).toEqual({ status: "success", durationMs: 3 });
    expect(nodes.b!.status).toBe("failed");
    expect(nodes.b!.error!.length).toBeLessThanOrEqual(201);
  });
});
