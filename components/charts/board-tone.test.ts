import { describe, expect, it } from "vitest";
import { BOARD_TONE_CLASS, boardTone } from "./board-tone";

// HPG on HOSE: reference 26,000, ceiling 27,800, floor 24,200 (±7 % inside the tick).
const limits = { reference: 26_000, ceiling: 27_800, floor: 24_200 };

describe("boardTone", () => {
  it("shows a price 650 ₫ under the reference as down (red), however small the percentage", () => {
    expect(boardTone(25_350, limits)).toBe("down");
    expect(BOARD_TONE_CLASS[boardTone(25_350, limits)]).toBe("price-down");
  });
  it("shows one tick under or over the reference as down or up", () => {
    expect(boardTone(25_950, limits)).toBe("down");
    expect(boardTone(26_050, limits)).toBe("up");
  });
  it("shows the reference itself as yellow", () => {
    expect(boardTone(26_000, limits)).toBe("ref");
    expect(BOARD_TONE_CLASS.ref).toBe("price-ref");
  });
  it("shows the ceiling as purple and the floor as cyan", () => {
    expect(boardTone(27_800, limits)).toBe("ceiling");
    expect(boardTone(24_200, limits)).toBe("floor");
    expect(BOARD_TONE_CLASS.ceiling).toBe("price-ceiling");
    expect(BOARD_TONE_CLASS.floor).toBe("price-floor");
  });
});
