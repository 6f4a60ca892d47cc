/** The watchlist store: each user's own list, in order; unknown symbols, indices and commodities refused; duplicates ignored. */
import { beforeAll, describe, expect, it } from "vitest";
import { testPool } from "@/test/db";
import { uniqueEmail } from "@/test/drizzle";
import { addToWatchlist, listWatchlist, removeFromWatchlist, WATCHLIST_MAX, watchlistSymbolSchema } from "./watchlist";

const pool = testPool();
const user = async (label: string) =>
  (await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [uniqueEmail(label)])).rows[0]!.id;
const symbols = async (userId: string) => (await listWatchlist(pool, userId)).map((i) => i.symbol);

beforeAll(async () => {
  await pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
       ('WLHPG', 'Watch A', 'stock', 'HOSE', 'Steel'), ('WLVCB', 'Watch B', 'stock', 'HOSE', 'Banks'),
       ('WLIDX', 'Watch index', 'index', 'HOSE', NULL), ('WLTCB', 'Watch C', 'stock', 'HOSE', 'Banks'), ('WLORE', 'Watch ore', 'commodity', NULL, 'Commodities')
     ON CONFLICT (symbol) DO NOTHING`,
  );
});

describe("the watchlist store", () => {
  it("adds at the end, keeps the order, and removes", async () => {
    const a = await user("wl-order");
    const first = await addToWatchlist(pool, a, "WLVCB");
    expect(first).toMatchObject({ ok: true, added: true, item: { symbol: "WLVCB", position: 0 } });
    expect(await addToWatchlist(pool, a, "WLHPG")).toMatchObject({ ok: true, added: true, item: { position: 1 } });
    expect(await addToWatchlist(pool, a, "WLTCB")).toMatchObject({ ok: true, item: { position: 2 } });
    expect(await symbols(a)).toEqual(["WLVCB", "WLHPG", "WLTCB"]);
    expect(await removeFromWatchlist(pool, a, "WLHPG")).toBe(true);
    expect(await removeFromWatchlist(pool, a, "WLHPG")).toBe(false);
    expect(await addToWatchlist(pool, a, "WLHPG")).toMatchObject({ ok: true, item: { position: 3 } });
    expect(await symbols(a)).toEqual(["WLVCB", "WLTCB", "WLHPG"]);
  });

  it("stores a duplicate once and leaves it where it was", async () => {
    const a = await user("wl-dup");
    await addToWatchlist(pool, a, "WLHPG");
    await addToWatchlist(pool, a, "WLVCB");
    const again = await addToWatchlist(pool, a, "WLHPG");
    expect(again).toMatchObject({ ok: true, added: false, item: { symbol: "WLHPG", position: 0 } });
    // Two at once: the unique (user_id, symbol) keeps one row.
    await Promise.all([addToWatchlist(pool, a, "WLTCB"), addToWatchlist(pool, a, "WLTCB")]);
    expect(await symbols(a)).toEqual(["WLHPG", "WLVCB", "WLTCB"]);
  });

  it("refuses an unknown symbol, an index and a commodity, storing nothing", async () => {
    const a = await user("wl-unknown");
    expect(await addToWatchlist(pool, a, "NOSUCH1")).toMatchObject({ ok: false, code: "unknown_symbol", error: expect.stringContaining("Unknown symbol NOSUCH1") });
    expect(await addToWatchlist(pool, a, "WLORE")).toMatchObject({ ok: false, code: "unknown_symbol" });
    expect(await addToWatchlist(pool, a, "WLIDX")).toMatchObject({ ok: false, code: "unknown_symbol" });
    expect(await symbols(a)).toEqual([]);
  });

  it("keeps each user's list to that user: B neither sees nor removes A's symbols", async () => {
    const [a, b] = [await user("wl-a"), await user("wl-b")];
    await addToWatchlist(pool, a, "WLHPG");
    expect(await symbols(b)).toEqual([]);
    expect(await removeFromWatchlist(pool, b, "WLHPG")).toBe(false);
    expect(await addToWatchlist(pool, b, "WLHPG")).toMatchObject({ ok: true, added: true, item: { position: 0 } });
    expect(await removeFromWatchlist(pool, b, "WLHPG")).toBe(true);
    expect(await symbols(a)).toEqual(["WLHPG"]);
  });

  it("goes with its user", async () => {
    const a = await user("wl-cascade");
    await addToWatchlist(pool, a, "WLVCB");
    await pool.query("DELETE FROM users WHERE id = $1", [a]);
    expect((await pool.query("SELECT 1 FROM watchlist_symbols WHERE user_id = $1", [a])).rows).toEqual([]);
  });

  it(`holds at most ${WATCHLIST_MAX} symbols`, async () => {
    const a = await user("wl-full");
    const many = Array.from({ length: WATCHLIST_MAX }, (_, i) => `WLF${i}`);
    await pool.query(
      `INSERT INTO market_symbols (symbol, name, kind, exchange) SELECT s, s, 'stock', 'HOSE' FROM unnest($1::text[]) AS s ON CONFLICT DO NOTHING`,
      [[...many, "WLFLAST"]],
    );
    await pool.query("INSERT INTO watchlist_symbols (user_id, symbol, position) SELECT $1, s, o FROM unnest($2::text[]) WITH ORDINALITY AS u(s, o)", [a, many]);
    expect(await addToWatchlist(pool, a, "WLFLAST")).toMatchObject({ ok: false, code: "watchlist_full" });
    // One already on a full list is still "there", not "full".
    expect(await addToWatchlist(pool, a, "WLF0")).toMatchObject({ ok: true, added: false });
  });

  it("reads symbols from URLs and bodies as tickers", () => {
    expect(watchlistSymbolSchema.parse(" hpg ")).toBe("HPG");
    for (const bad of ["", "HP G", "DROP TABLE", "X".repeat(21), 42]) expect(watchlistSymbolSchema.safeParse(bad).success).toBe(false);
  });
});
