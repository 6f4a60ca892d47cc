/** Reading market_symbols: the search box and the lookups every market query starts with. */
import type { SymbolKind, SymbolInfo } from "./types";
import type { Queryable } from "./queryable";

export type { SymbolInfo };

/** LIKE's wildcards taken literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Symbols matching `q`: those whose symbol starts with it first (alphabetically), then those whose name
 * contains it; case-insensitive. An empty `q` lists every symbol.
 */
export async function searchSymbols(db: Queryable, q: string, limit: number): Promise<SymbolInfo[]> {
  const pattern = escapeLike(q.trim());
  const { rows } = await db.query(
    `SELECT symbol, name, kind, exchange, sector
       FROM market_symbols
      WHERE $1 = '' OR symbol ILIKE $1 || '%' OR name ILIKE '%' || $1 || '%'
      ORDER BY (symbol ILIKE $1 || '%') DESC, symbol
      LIMIT $2`,
    [pattern, limit],
  );
  return rows as unknown as SymbolInfo[];
}

/** One symbol, or undefined when market_symbols does not have it. */
export async function findSymbol(db: Queryable, symbol: string): Promise<SymbolInfo | undefined> {
  const { rows } = await db.query(
    "SELECT symbol, name, kind, exchange, sector FROM market_symbols WHERE symbol = $1",
    [symbol],
  );
  return rows[0] as unknown as SymbolInfo | undefined;
}

export class UnknownSymbolError extends Error {
  constructor(readonly symbol: string) {
    super(`Unknown symbol ${symbol}: it is not in QuantFlow's symbol list (search with /api/symbols?q=…).`);
    this.name = "UnknownSymbolError";
  }
}

export type PriceUnit = "VND" | "points" | "USD/t" | "USD/bbl";

/** Commodities quoted per barrel; every other commodity is per tonne. */
const PER_BARREL = new Set(["CRUDE_OIL"]);

/** The unit prices of a symbol are stored in. */
export function unitOf(kind: SymbolKind, symbol = ""): PriceUnit {
  return kind === "stock" ? "VND" : kind === "index" ? "points" : PER_BARREL.has(symbol) ? "USD/bbl" : "USD/t";
}
