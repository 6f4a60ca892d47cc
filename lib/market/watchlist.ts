/**
 * A user's watchlist on the price board (drizzle/0015_watchlists.sql). Every query takes the owner's id:
 * no user reads or changes another's list. A symbol must be a stock QuantFlow knows (the board's rows;
 * the indices have the top strip); adding one already there changes nothing; a list holds at most WATCHLIST_MAX symbols.
 */
import { z } from "zod";
import { SYMBOL_PATTERN } from "./candle-validation";
import type { Queryable } from "./queryable";

export const WATCHLIST_MAX = 100;

/** A symbol from a URL or a body: trimmed, upper-cased, and shaped like a ticker. */
export const watchlistSymbolSchema = z
  .string({ error: "symbol must be a string" })
  .trim()
  .toUpperCase()
  .regex(SYMBOL_PATTERN, { error: "symbol must be a ticker such as HPG (letters, digits, . _ -, at most 20)" });

export interface WatchlistItem {
  symbol: string;
  position: number;
  addedAt: Date;
}

export type AddResult =
  | { ok: true; item: WatchlistItem; added: boolean }
  | { ok: false; code: "unknown_symbol" | "watchlist_full"; error: string };

type Row = { symbol: string; position: number; added_at: Date };
const toItem = (r: Row): WatchlistItem => ({ symbol: r.symbol, position: r.position, addedAt: r.added_at });

/** The user's watchlist in its order. */
export async function listWatchlist(db: Queryable, userId: string): Promise<WatchlistItem[]> {
  const { rows } = await db.query(
    "SELECT symbol, position, added_at FROM watchlist_symbols WHERE user_id = $1 ORDER BY position, symbol",
    [userId],
  );
  return (rows as Row[]).map(toItem);
}

/** Adds `symbol` at the end of the user's list; one already there stays where it is. */
export async function addToWatchlist(db: Queryable, userId: string, symbol: string): Promise<AddResult> {
  const known = await db.query("SELECT 1 FROM market_symbols WHERE symbol = $1 AND kind = 'stock'", [symbol]);
  if (known.rows.length === 0) {
    return { ok: false, code: "unknown_symbol", error: `Unknown symbol ${symbol}: only stocks QuantFlow knows can be watched.` };
  }
  // One statement: the row goes last unless it is there already or the list is full (a concurrent add
  // of the same symbol meets the unique constraint and does nothing).
  const { rows } = await db.query(
    `INSERT INTO watchlist_symbols (user_id, symbol, position)
     SELECT $1::uuid, $2::varchar, COALESCE(max(position) + 1, 0) FROM watchlist_symbols WHERE user_id = $1::uuid
     HAVING count(*) < $3 AND NOT (bool_or(symbol = $2::varchar) IS TRUE)
     ON CONFLICT (user_id, symbol) DO NOTHING
     RETURNING symbol, position, added_at`,
    [userId, symbol, WATCHLIST_MAX],
  );
  if (rows[0]) return { ok: true, item: toItem(rows[0] as Row), added: true };
  const existing = await db.query("SELECT symbol, position, added_at FROM watchlist_symbols WHERE user_id = $1 AND symbol = $2", [userId, symbol]);
  if (existing.rows[0]) return { ok: true, item: toItem(existing.rows[0] as Row), added: false };
  return { ok: false, code: "watchlist_full", error: `A watchlist holds at most ${WATCHLIST_MAX} symbols: remove one first.` };
}

/** Removes `symbol` from the user's list; false when it was not on it. */
export async function removeFromWatchlist(db: Queryable, userId: string, symbol: string): Promise<boolean> {
  const { rows } = await db.query("DELETE FROM watchlist_symbols WHERE user_id = $1 AND symbol = $2 RETURNING symbol", [userId, symbol]);
  return rows.length > 0;
}
