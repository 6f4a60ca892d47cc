/**
 * The caller's watchlist on the price board: GET lists it in order; POST { symbol } adds a stock or an
 * index at the end (one already there: 200, unchanged). Only the session user's rows are ever touched.
 */
import { z } from "zod";
import { parseJsonBody } from "@/app/_lib/portfolio-json";
import { json, withSessionUser } from "@/app/_lib/route";
import { watchlistItemJson } from "@/app/_lib/watchlist-json";
import { getPool } from "@/db/client";
import { addToWatchlist, listWatchlist, watchlistSymbolSchema } from "@/lib/market/watchlist";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const addSchema = z.strictObject({ symbol: watchlistSymbolSchema }, { error: 'Send { "symbol": "HPG" } and nothing else.' });

export const GET = withSessionUser(async (_request, user) => {
  const items = await listWatchlist(getPool(), user.id);
  return json({ symbols: items.map(watchlistItemJson) });
});

export const POST = withSessionUser(async (request, user) => {
  const read = await parseJsonBody(request, addSchema, 'the symbol to watch { "symbol": "HPG" }');
  if ("response" in read) return read.response;
  const result = await addToWatchlist(getPool(), user.id, read.data.symbol);
  if (!result.ok) return json({ error: result.error, code: result.code }, 400);
  return json({ item: watchlistItemJson(result.item), added: result.added }, result.added ? 201 : 200);
});
