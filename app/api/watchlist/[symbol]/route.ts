/** DELETE /api/watchlist/<symbol>: takes a symbol off the caller's watchlist; 404 when it is not on it. */
import { json, notFound, withSessionUser } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { removeFromWatchlist, watchlistSymbolSchema } from "@/lib/market/watchlist";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Ctx = { params: Promise<{ symbol: string }> };

export const DELETE = withSessionUser<Ctx>(async (_request, user, { params }) => {
  const parsed = watchlistSymbolSchema.safeParse((await params).symbol);
  if (!parsed.success) return notFound();
  return (await removeFromWatchlist(getPool(), user.id, parsed.data)) ? json({ deleted: true }) : notFound();
});
