/**
 * The price board's order (pure, no imports: the page sorts in the browser): one column either way with
 * missing figures last, and the user's watchlist first.
 */
export const BOARD_SORT_KEYS = ["symbol", "last", "change", "changePct", "volume", "value"] as const;
export type BoardSortKey = (typeof BOARD_SORT_KEYS)[number];
export interface BoardSort {
  key: BoardSortKey;
  direction: "ascending" | "descending";
}

/** What sorting reads of a board row (lib/market/board.ts BoardRow). */
export interface Sortable {
  symbol: string;
  last: number;
  change: number | null;
  changePct: number | null;
  volume: number;
  value: number | null;
}

/** Rows sorted by one column; missing figures (no reference, an index's value) last either way; ties by symbol. */
export function sortBoardRows<R extends Sortable>(rows: readonly R[], sort: BoardSort): R[] {
  const sign = sort.direction === "ascending" ? 1 : -1;
  const bySymbol = (a: R, b: R) => a.symbol.localeCompare(b.symbol);
  return [...rows].sort((a, b) => {
    if (sort.key === "symbol") return sign * bySymbol(a, b);
    const x = a[sort.key];
    const y = b[sort.key];
    if (x === null || y === null) return x === y ? bySymbol(a, b) : x === null ? 1 : -1;
    return sign * (x - y) || bySymbol(a, b);
  });
}

/**
 * The board as shown: the watchlist's rows first (in the watchlist's order, or sorted like the rest
 * when a column is sorted), then the other rows (by symbol, or sorted).
 */
export function arrangeBoard<R extends Sortable>(
  rows: readonly R[],
  watchlist: readonly string[],
  sort: BoardSort | null,
): { watched: R[]; others: R[] } {
  const place = new Map(watchlist.map((s, i) => [s, i]));
  const watched = rows.filter((r) => place.has(r.symbol));
  const others = rows.filter((r) => !place.has(r.symbol));
  if (sort) return { watched: sortBoardRows(watched, sort), others: sortBoardRows(others, sort) };
  return {
    watched: watched.sort((a, b) => place.get(a.symbol)! - place.get(b.symbol)!),
    others: sortBoardRows(others, { key: "symbol", direction: "ascending" }),
  };
}
