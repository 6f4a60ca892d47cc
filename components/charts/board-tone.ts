/**
 * The colour a price board gives a price against the session's limits (UI.md): at the ceiling purple,
 * at the floor cyan, above the reference green, below it red, on it yellow. Pure, no React.
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

/** The global CSS class of each tone (app/globals.css). */
export const BOARD_TONE_CLASS: Record<BoardTone, string> = {
  ceiling: "price-ceiling",
  floor: "price-floor",
  up: "price-up",
  down: "price-down",
  ref: "price-ref",
};
