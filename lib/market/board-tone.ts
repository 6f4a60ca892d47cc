/**
 * The colour a price board gives a price against the session's limits (docs/UI.md): at the ceiling
 * purple, at the floor cyan, above the reference green, below it red, on it yellow. Pure: the chart's
 * legend (components/charts/board-tone.ts) and the price board (lib/market/board.ts) share it.
 */
export type BoardTone = "ceiling" | "floor" | "up" | "down" | "ref";

export interface BoardLimits {
  reference: number;
  ceiling: number;
  floor: number;
}

export function boardTone(price: number, limits: BoardLimits): BoardTone {
  if (price >= limits.ceiling) return "ceiling";
  if (price <= limits.floor) return "floor";
  if (price > limits.reference) return "up";
  if (price < limits.reference) return "down";
  return "ref";
}
