/**
 * The board colours of a price (lib/market/board-tone.ts holds the rule, shared with the price board)
 * and the global CSS class of each tone (app/globals.css).
 */
import type { BoardTone } from "@/lib/market/board-tone";

export { boardTone, type BoardLimits, type BoardTone } from "@/lib/market/board-tone";

export const BOARD_TONE_CLASS: Record<BoardTone, string> = {
  ceiling: "price-ceiling",
  floor: "price-floor",
  up: "price-up",
  down: "price-down",
  ref: "price-ref",
};
