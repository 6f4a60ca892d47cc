/**
 * Reviewed overrides of a stock's daily price limits for corporate-action days (lib/market/bar-bounds.ts).
 * GET /api/market/bar-overrides?symbol=FPT (any signed-in user; shared data): { overrides: [{ symbol,
 * tradeDate, reason, reviewedBy, createdAt (+07:00) }] }, newest trade date first.
 * POST (admins only) JSON { symbol, tradeDate: "YYYY-MM-DD" (the trading day in Vietnam), reason }:
 * answers the override (a second one for the same symbol and day replaces it); 400 with { error } and
 * nothing stored when the input is bad or the symbol is not a stock.
 */
import { json, withSessionUser, withSharedDataWriter } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { addBarOverride, BarOverrideError, listBarOverrides, type BarOverride } from "@/lib/market/bar-bounds";
import { SYMBOL_PATTERN } from "@/lib/market/candle-validation";
import { toVnIso } from "@/lib/time";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const shape = (o: BarOverride) => ({ ...o, createdAt: toVnIso(o.createdAt) });

export const GET = withSessionUser(async (request) => {
  const symbol = new URL(request.url).searchParams.get("symbol")?.trim().toUpperCase() || undefined;
  if (symbol !== undefined && !SYMBOL_PATTERN.test(symbol)) return json({ error: "symbol must be 1-20 of A-Z, 0-9, '.', '_', '-'" }, 400);
  return json({ overrides: (await listBarOverrides(getPool(), symbol)).map(shape) });
});

export const POST = withSharedDataWriter(async (request, user) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json({ error: 'Send JSON { symbol, tradeDate: "YYYY-MM-DD", reason }.' }, 400);
  }
  try {
    return json(shape(await addBarOverride(getPool(), body, user.id)));
  } catch (error) {
    if (error instanceof BarOverrideError) return json({ error: error.message }, 400);
    throw error;
  }
});
