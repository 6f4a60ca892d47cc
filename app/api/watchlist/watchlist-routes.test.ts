/**
 * /api/watchlist and /api/market/board as the board page calls them: the app's handlers unchanged, only
 * the edges replaced (the session user, the app's pool = this run's database, an in-process cache).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testPool } from "@/test/db";
import { uniqueEmail } from "@/test/drizzle";

const edge = vi.hoisted(() => ({ user: null as { id: string; email: string; role: "analyst" } | null, pool: undefined as unknown }));
vi.mock("@/app/_lib/session", () => ({ getSessionUser: async () => edge.user }));
vi.mock("@/db/client", () => ({ getPool: () => edge.pool }));
vi.mock("@/lib/cache", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/cache")>();
  const cache = new actual.MemoryCache();
  return { ...actual, appCache: () => cache };
});

const pool = testPool();
edge.pool = pool;
const watchlist = await import("@/app/api/watchlist/route");
const one = await import("@/app/api/watchlist/[symbol]/route");
const board = await import("@/app/api/market/board/route");

const call = (handler: (r: Request, c: never) => Promise<Response>, path: string, init: RequestInit = {}, symbol = "") =>
  handler(new Request(`http://localhost${path}`, init), { params: Promise.resolve({ symbol }) } as never);
const post = (body: unknown) => call(watchlist.POST, "/api/watchlist", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
const rows = async () => (await pool.query("SELECT symbol FROM watchlist_symbols WHERE user_id = $1 ORDER BY position", [edge.user!.id])).rows.map((r) => r.symbol);

beforeAll(async () => {
  const email = uniqueEmail("wlroutes");
  const { rows: made } = await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [email]);
  edge.user = { id: made[0]!.id, email, role: "analyst" };
  await pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ('WRHPG', 'Route A', 'stock', 'HOSE', 'Steel'), ('WRVCB', 'Route B', 'stock', 'HOSE', 'Banks')
     ON CONFLICT DO NOTHING`,
  );
});
afterAll(() => {
  edge.user = null;
});

describe("/api/watchlist", () => {
  it("POST adds (201), again changes nothing (200), GET lists in order with times in GMT+7, DELETE removes", async () => {
    const first = await post({ symbol: " wrvcb " });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ added: true, item: { symbol: "WRVCB", position: 0, addedAt: expect.stringMatching(/\+07:00$/) } });
    expect((await post({ symbol: "WRHPG" })).status).toBe(201);
    const again = await post({ symbol: "WRVCB" });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ added: false, item: { position: 0 } });
    const listed = await (await call(watchlist.GET, "/api/watchlist")).json();
    expect(listed.symbols.map((s: { symbol: string }) => s.symbol)).toEqual(["WRVCB", "WRHPG"]);
    const del = await call(one.DELETE, "/api/watchlist/wrvcb", { method: "DELETE" }, "wrvcb");
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ deleted: true });
    expect((await call(one.DELETE, "/api/watchlist/WRVCB", { method: "DELETE" }, "WRVCB")).status).toBe(404);
    expect((await call(one.DELETE, "/api/watchlist/%20", { method: "DELETE" }, "bad symbol!")).status).toBe(404);
    expect(await rows()).toEqual(["WRHPG"]);
  });

  it("refuses an unknown symbol, a body that is not JSON, a missing or extra field, storing nothing", async () => {
    const before = await rows();
    const unknown = await post({ symbol: "NOSUCH9" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: "unknown_symbol", error: expect.stringContaining("Unknown symbol NOSUCH9") });
    for (const bad of ["not json", {}, { symbol: "HP G" }, { symbol: 12 }, { symbol: "WRVCB", userId: edge.user!.id }]) {
      const res = await post(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect((await res.json()).error).toEqual(expect.any(String));
    }
    expect(await rows()).toEqual(before);
  });

  it("answers 401 signed out", async () => {
    const me = edge.user;
    edge.user = null;
    try {
      expect((await call(watchlist.GET, "/api/watchlist")).status).toBe(401);
      expect((await post({ symbol: "WRHPG" })).status).toBe(401);
      expect((await call(board.GET, "/api/market/board")).status).toBe(401);
    } finally {
      edge.user = me;
    }
  });
});

describe("/api/market/board", () => {
  it("answers the board (rows, asOf) computed, then from the cache", async () => {
    const first = await call(board.GET, "/api/market/board");
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body).toMatchObject({ rows: expect.any(Array), source: "database" });
    expect(body.asOf === null || /\+07:00$/.test(body.asOf)).toBe(true);
    expect((await (await call(board.GET, "/api/market/board")).json()).source).toBe("memory");
  });
});
