/** A watchlist item as JSON: the time it was added in Vietnam time (+07:00). */
import type { WatchlistItem } from "@/lib/market/watchlist";
import { toVnIso } from "@/lib/time";

export function watchlistItemJson(item: WatchlistItem) {
  return { symbol: item.symbol, position: item.position, addedAt: toVnIso(item.addedAt) };
}
