import { describe, expect, it } from "vitest";
import { storedArray } from "@/lib/workflows/stored-array";
import { headTail, seriesRows } from "./headTail";

describe("head and tail of a long series", () => {
  it("shows a short array whole", () => {
    expect(headTail([1, 2, 3, 4, 5, 6])).toEqual({ head: [1, 2, 3, 4, 5, 6], hidden: 0, tail: [] });
    expect(headTail([])).toEqual({ head: [], hidden: 0, tail: [] });
  });

  it("keeps the first and last rows of a long array and counts the rest", () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    expect(headTail(items)).toEqual({ head: [0, 1, 2], hidden: 244, tail: [247, 248, 249] });
  });

  it("counts what a stored truncation left out as hidden too", () => {
    // Stored: 250 points, 5 kept at each end.
    const stored = { truncated: true, size: 250, head: [0, 1, 2, 3, 4], tail: [245, 246, 247, 248, 249] };
    const { items, size } = storedArray(stored)!;
    expect(headTail(items, size)).toEqual({ head: [0, 1, 2], hidden: 244, tail: [247, 248, 249] });
    // Even one kept at each end, fewer than shown.
    const thin = storedArray({ truncated: true, size: 10, head: [0], tail: [9] })!;
    expect(headTail(thin.items, thin.size)).toEqual({ head: [0], hidden: 8, tail: [9] });
  });

  it("pairs a stored series' times and values, truncated alike", () => {
    expect(seriesRows({ times: { truncated: true, size: 9, head: ["a"], tail: ["z"] }, values: { truncated: true, size: 9, head: [1], tail: [2] } })).toEqual({
      rows: [["a", 1], ["z", 2]],
      size: 9,
    });
    expect(seriesRows({ times: [1], values: [1, 2] })).toBeNull();
    expect(seriesRows(7)).toBeNull();
  });
});
