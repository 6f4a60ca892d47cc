/** The browser's side of the board and watchlist routes (README: Market and broker routes). No React. */
import { request } from "@/components/charts/api";
import type { Board } from "@/lib/market/board";

export type { Board, BoardRow } from "@/lib/market/board";

export interface BoardAnswer extends Board {
  source: string;
}

/** Polled by the board (15 s) and the top strip; the server caches it 15 s; paused while the tab is hidden. */
export const BOARD_REFRESH_MS = 15_000;
export const BOARD_QUERY_KEY = ["market-board"] as const;
export const WATCHLIST_QUERY_KEY = ["watchlist"] as const;

export function fetchBoard(signal?: AbortSignal): Promise<BoardAnswer> {
  return request<BoardAnswer>("/api/market/board", { signal });
}

export interface WatchlistEntry {
  symbol: string;
  position: number;
  addedAt: string;
}

export async function fetchWatchlist(signal?: AbortSignal): Promise<WatchlistEntry[]> {
  return (await request<{ symbols: WatchlistEntry[] }>("/api/watchlist", { signal })).symbols;
}

export function watch(symbol: string): Promise<{ item: WatchlistEntry; added: boolean }> {
  return request("/api/watchlist", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ symbol }) });
}

export function unwatch(symbol: string): Promise<{ deleted: true }> {
  return request(`/api/watchlist/${encodeURIComponent(symbol)}`, { method: "DELETE" });
}
