/**
 * The portfolio routes as the page and scripts call them, on a database of this file's own: synthetic
 * daily bars up to today (end-of-day bars on the tick grid), the app's handlers unchanged, only the
 * session user and the app's pool replaced. Covers the answers, the bad input of issue 11 (each a 400
 * naming its cause, nothing saved), the saved allocations' rows (the seed's CHECK, exactly 100 %) and
 * another user's saved allocation (404).
 */
import Decimal from "decimal.js";
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as schema from "@/db/schema";
import { previousTradingDay, isTradingDay, vnDateOf, vnMidnightUtc } from "@/lib/market/calendar";
import { ingestDailyBars } from "@/lib/market/ingest";
import { isOnTick, roundToTick } from "@/lib/market/rules";
import { tradingDaysBack } from "@/lib/market/universe-closes";
import { normalDraws, tradingDays } from "@/test/synthetic-daily-series";
import { scratchDatabaseForFile } from "@/test/scratch-db";

const edge = vi.hoisted(() => ({ user: null as { id: string; email: string; role: "admin" | "analyst" } | null, pool: undefined as unknown, db: undefined as unknown }));
vi.mock("@/app/_lib/session", () => ({ getSessionUser: async () => edge.user }));
vi.mock("@/db/client", () => ({ getPool: () => edge.pool, getDb: () => edge.db }));

const db = scratchDatabaseForFile("portfolio_routes");
const { POST: postOptimize } = await import("@/app/api/portfolio/optimize/route");
const { POST: postOrders } = await import("@/app/api/portfolio/orders/route");
const { GET: listSaved, POST: postSave } = await import("@/app/api/portfolio/allocations/route");
const { GET: getSaved, DELETE: deleteSaved } = await import("@/app/api/portfolio/allocations/[id]/route");
const { POST: postBacktest } = await import("@/app/api/portfolio/backtest/route");

const alice = { id: "00000000-0000-4000-8000-0000000000a1", email: "alice@example.vn", role: "analyst" as const };
const bob = { id: "00000000-0000-4000-8000-0000000000b2", email: "bob@example.vn", role: "analyst" as const };

const today = vnDateOf(new Date());
const lastSession = isTradingDay(today) ? today : previousTradingDay(today);
const DAYS = tradingDays(tradingDaysBack(lastSession, 400), lastSession);

interface Planted {
  symbol: string;
  sector: string;
  price: number;
  drift: number;
  sd: number;
  beta: number;
  /** Only the last `days` sessions have bars. */
  days?: number;
  /** The bars stop this many sessions before the last. */
  stopsEarly?: number;
}

const PLANTED: Planted[] = [
  { symbol: "HPG", sector: "Steel", price: 26_000, drift: 0.0008, sd: 0.018, beta: 1.1 },
  { symbol: "HSG", sector: "Steel", price: 18_000, drift: 0.0004, sd: 0.022, beta: 1.3 },
  { symbol: "NKG", sector: "Steel", price: 15_000, drift: 0.0002, sd: 0.024, beta: 1.3 },
  { symbol: "VCB", sector: "Banks", price: 60_000, drift: 0.0006, sd: 0.012, beta: 0.8 },
  { symbol: "TCB", sector: "Banks", price: 24_000, drift: 0.0005, sd: 0.016, beta: 1.0 },
  { symbol: "NEWCO", sector: "Retail", price: 30_000, drift: 0.0005, sd: 0.02, beta: 1, days: 30 },
  { symbol: "HALTED", sector: "Retail", price: 40_000, drift: 0.0003, sd: 0.02, beta: 1, stopsEarly: 5 },
];

async function plant() {
  await db.pool.query(`INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'x'), ($3, $4, 'x')`, [alice.id, alice.email, bob.id, bob.email]);
  await db.pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) SELECT s, s, 'stock', 'HOSE', sec FROM unnest($1::text[], $2::text[]) AS t(s, sec)`,
    [[...PLANTED.map((p) => p.symbol), "TWIN"], [...PLANTED.map((p) => p.sector), "Steel"]],
  );
  await db.pool.query(`INSERT INTO market_symbols (symbol, name, kind, exchange) VALUES ('VNINDEX', 'VN-Index', 'index', 'HOSE')`);
  const market = normalDraws(11);
  const marketReturns = DAYS.map(() => 0.01 * market());
  const rows: schema.Candle[] = [];
  const bar = (symbol: string, day: string, close: number) => rows.push({ time: vnMidnightUtc(day), symbol, open: close, high: close, low: close, close, volume: 100_000 } as schema.Candle);
  PLANTED.forEach((p, k) => {
    const draw = normalDraws(100 + k);
    let close = p.price;
    DAYS.forEach((day, t) => {
      // Within HOSE's ±7 % daily limit, which ingest enforces (lib/market/bar-bounds.ts).
      close *= Math.exp(Math.max(-0.06, Math.min(0.06, p.drift + p.beta * (marketReturns[t] as number) + p.sd * draw())));
      const onTick = roundToTick("HOSE", close);
      const from = DAYS.length - (p.days ?? DAYS.length);
      if (t < from || t >= DAYS.length - (p.stopsEarly ?? 0)) return;
      bar(p.symbol, day, onTick);
      // TWIN's closes are HPG's doubled: the same daily returns, a singular covariance.
      if (p.symbol === "HPG") bar("TWIN", day, onTick * 2);
    });
  });
  let index = 1_250;
  DAYS.forEach((day, t) => {
    index *= Math.exp(marketReturns[t] as number);
    bar("VNINDEX", day, Math.round(index * 100) / 100);
  });
  await ingestDailyBars(db.pool, rows);
}

beforeAll(async () => {
  edge.pool = db.pool;
  edge.db = drizzle(db.pool, { schema });
  await plant();
  edge.user = alice;
});
afterAll(() => {
  edge.user = null;
});

const post = (handler: (r: Request, c: never) => Promise<Response>, path: string, body: unknown) =>
  handler(new Request(`http://localhost${path}`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } }), undefined as never);
const ctx = (id: string) => ({ params: Promise.resolve({ id }) }) as never;
const optimize = (body: unknown) => post(postOptimize, "/api/portfolio/optimize", body);
const orders = (body: unknown) => post(postOrders, "/api/portfolio/orders", body);
const save = (body: unknown) => post(postSave, "/api/portfolio/allocations", body);
const STEEL_AND_BANKS = ["HPG", "HSG", "NKG", "VCB", "TCB"];

async function counts() {
  const { rows } = await db.pool.query(
    `SELECT (SELECT count(*)::int FROM portfolio_allocations) AS allocations, (SELECT count(*)::int FROM portfolio_allocation_sets) AS sets,
            (SELECT count(*)::int FROM portfolio_allocation_set_rows) AS members`,
  );
  return rows[0];
}

describe("POST /api/portfolio/optimize", () => {
  it("answers a maximum-Sharpe portfolio of steel and bank stocks: weights adding up to 1, its metrics and the Vietnamese date of its last close", async () => {
    const res = await optimize({ symbols: STEEL_AND_BANKS, method: "max_sharpe", lookbackDays: 252 });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body.weights).sort()).toEqual([...STEEL_AND_BANKS].sort());
    expect(Object.values(body.weights as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(body.asOf).toBe(lastSession);
    expect(body.riskFreeRate).toBe(0.03);
    expect(body.sharpe).toBeCloseTo((body.expectedReturn - 0.03) / body.volatility, 9);
    expect(Object.values(body.riskContributions as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(body.observations).toBe(252);
    expect(body.universe).toBeUndefined();
  });

  it("with details, also the correlation matrix, every symbol alone and an efficient frontier the portfolio does not beat", async () => {
    const body = await (await optimize({ symbols: STEEL_AND_BANKS, method: "max_sharpe", lookbackDays: 252, riskFreeRate: 0.02, details: true })).json();
    const u = body.universe;
    expect(u.symbols).toHaveLength(5);
    expect(u.correlation.map((row: number[], i: number) => row[i])).toEqual([1, 1, 1, 1, 1]);
    expect(u.assets.map((a: { symbol: string }) => a.symbol)).toEqual(u.symbols);
    expect(u.frontier.length).toBeGreaterThan(10);
    const best = Math.max(...u.frontier.map((p: { sharpe: number }) => p.sharpe));
    // The maximum-Sharpe portfolio is the frontier's tangency point: no sampled point beats it.
    expect(body.sharpe).toBeGreaterThanOrEqual(best - 1e-6);
  });

  it.each([
    ["one symbol", { symbols: ["HPG"], method: "max_sharpe" }, "invalid_request", /at least two/],
    ["the same symbol twice", { symbols: ["HPG", "hpg"], method: "max_sharpe" }, "invalid_request", /two different symbols/],
    ["an unknown method", { symbols: ["HPG", "VCB"], method: "best" }, "invalid_request", /method must be one of/],
    ["a lookback of 10 days", { symbols: ["HPG", "VCB"], method: "hrp", lookbackDays: 10 }, "invalid_request", /lookbackDays must be from 60/],
    ["efficient_return without a target", { symbols: ["HPG", "VCB"], method: "efficient_return" }, "invalid_request", /needs targetReturn/],
    ["an unknown symbol", { symbols: ["HPG", "ZZZ"], method: "hrp" }, "unknown_symbol", /unknown symbol ZZZ/i],
    ["an index", { symbols: ["HPG", "VNINDEX"], method: "hrp" }, "unknown_symbol", /VNINDEX \(index\) cannot be held/],
    ["fewer than two symbols with enough history", { symbols: ["HPG", "NEWCO"], method: "min_volatility" }, "too_few_symbols", /NEWCO \(\d+\)/],
    ["a singular covariance", { symbols: ["HPG", "TWIN", "VCB"], method: "min_volatility" }, "singular_covariance", /HPG|TWIN/],
    ["infeasible bounds", { symbols: ["HPG", "HSG", "VCB"], method: "max_sharpe", maxWeight: 0.2 }, "infeasible_bounds", /allow at most 60 % in total/],
    ["a target return above the best asset's", { symbols: STEEL_AND_BANKS, method: "efficient_return", targetReturn: 5 }, "target_return_unreachable", /best symbol/],
  ])("%s: 400 naming the cause, nothing saved", async (_name, body, code, message) => {
    const before = await counts();
    for (const res of [await optimize(body), await save(body)]) {
      expect(res.status).toBe(400);
      const answer = await res.json();
      expect(answer.code).toBe(code);
      expect(answer.error).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it("a body that is not JSON is a 400 saying what to send", async () => {
    const res = await optimize("{not json");
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/Send \{ symbols, method/);
  });
});

describe("POST /api/portfolio/orders", () => {
  it("sizes 1,000,000,000 VND in whole lots at today's closes on the tick grid; capital = invested + fees + leftover, to the đồng", async () => {
    const res = await orders({ weights: { HPG: 0.3, HSG: 0.2, VCB: 0.5 }, capitalVnd: "1000000000" });
    expect(res.status).toBe(200);
    const plan = await res.json();
    expect(plan.priceDate).toBe(lastSession);
    expect(plan.feeRate).toBe("0.0015");
    for (const line of plan.lines) {
      expect(line.shares % 100).toBe(0);
      expect(isOnTick("HOSE", Number(line.price))).toBe(true);
      expect(line.value).toBe(new Decimal(line.price).times(line.shares).toFixed(0));
    }
    const invested = plan.lines.reduce((s: Decimal, l: { value: string }) => s.plus(l.value), new Decimal(0));
    const fees = plan.lines.reduce((s: Decimal, l: { fee: string }) => s.plus(l.fee), new Decimal(0));
    expect(invested.toFixed(0)).toBe(plan.invested);
    expect(fees.toFixed(0)).toBe(plan.fees);
    expect(invested.plus(fees).plus(plan.leftover).toFixed(0)).toBe("1000000000");
    expect(Number(plan.leftover)).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ["zero capital", { weights: { HPG: 0.5, VCB: 0.5 }, capitalVnd: "0" }, "invalid_capital", /more than 0 VND/],
    ["negative capital", { weights: { HPG: 0.5, VCB: 0.5 }, capitalVnd: -5_000_000 }, "invalid_capital", /more than 0 VND/],
    ["capital below one lot of the cheapest", { weights: { HPG: 0.5, VCB: 0.5 }, capitalVnd: "100000" }, "capital_below_one_lot", /less than one lot of the cheapest symbol, HPG/],
    ["a symbol without a price today", { weights: { HPG: 0.5, HALTED: 0.5 }, capitalVnd: "1000000000" }, "missing_price", /no price today .*HALTED \(last close/i],
    ["weights that do not add up to 1", { weights: { HPG: 0.5, VCB: 0.2 }, capitalVnd: "1000000000" }, "invalid_weights", /add up to 0\.7000/],
    ["an unknown symbol", { weights: { HPG: 0.5, ZZZ: 0.5 }, capitalVnd: "1000000000" }, "unknown_symbol", /ZZZ/],
    ["capital that is not a number", { weights: { HPG: 1 }, capitalVnd: "a billion" }, "invalid_request", /capitalVnd must be a number of VND/],
  ])("%s: 400 naming the cause", async (_name, body, code, message) => {
    const res = await orders(body);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.code).toBe(code);
    expect(answer.error).toMatch(message);
  });
});

describe("POST /api/portfolio/backtest", () => {
  it("backtests the method monthly over a year against equal weight and VNINDEX, from the closes of this database", async () => {
    const res = await post(postBacktest, "/api/portfolio/backtest", { symbols: STEEL_AND_BANKS, method: "min_volatility", lookbackDays: 60, years: 1 });
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r.asOf).toBe(lastSession);
    expect(r.dates.at(-1)).toBe(lastSession);
    expect(r.curves.strategy).toHaveLength(r.dates.length);
    expect(r.curves.benchmark).toHaveLength(r.dates.length);
    expect(r.curves.strategy[0]).toBeCloseTo(1e9 * (1 - 0.0015 / 1.0015), -2);
    expect(r.rebalances.length).toBeGreaterThanOrEqual(12);
    for (const key of ["strategy", "equalWeight", "benchmark"]) expect(r.metrics[key]).toEqual(expect.objectContaining({ cagr: expect.any(Number), maxDrawdown: expect.any(Number), finalValue: expect.stringMatching(/^\d+$/) }));
  });

  it("refuses a span beyond 10 years and an unknown symbol, by name", async () => {
    const far = await post(postBacktest, "/api/portfolio/backtest", { symbols: STEEL_AND_BANKS, method: "hrp", years: 20 });
    expect(far.status).toBe(400);
    expect((await far.json()).error).toMatch(/years must be from 1 to 10/);
    const unknown = await post(postBacktest, "/api/portfolio/backtest", { symbols: ["HPG", "ZZZ"], method: "hrp" });
    expect(await unknown.json()).toMatchObject({ code: "unknown_symbol" });
  });
});

describe("saved allocations", () => {
  it("saves rows of portfolio_allocations adding up to exactly 100 %, grouped with the method, parameters and metrics; lists, opens and deletes them", async () => {
    edge.user = alice;
    const res = await save({ symbols: STEEL_AND_BANKS, method: "hrp", lookbackDays: 200, name: "Steel and banks, HRP" });
    expect(res.status).toBe(201);
    const saved = await res.json();
    expect(saved).toMatchObject({ name: "Steel and banks, HRP", method: "hrp", symbols: 5, params: { lookbackDays: 200, riskFreeRate: 0.03 } });
    expect(saved.createdAt).toMatch(/\+07:00$/);
    expect(saved.metrics.asOf).toBe(lastSession);
    const { rows } = await db.pool.query(
      `SELECT sum(a.allocation_pct::numeric)::text AS total, min(a.allocation_pct) AS low, max(a.allocation_pct) AS high, count(*)::int AS n, bool_and(a.user_id = $2) AS mine
         FROM portfolio_allocation_set_rows r JOIN portfolio_allocations a ON a.id = r.allocation_id WHERE r.set_id = $1`,
      [saved.id, alice.id],
    );
    expect(rows[0]).toMatchObject({ n: 5, mine: true });
    expect(new Decimal(rows[0].total).equals(100)).toBe(true);
    expect(rows[0].low).toBeGreaterThanOrEqual(0);
    expect(rows[0].high).toBeLessThanOrEqual(100);
    // Largest first, two decimals.
    const pcts = saved.rows.map((r: { pct: number }) => r.pct);
    expect([...pcts].sort((a: number, b: number) => b - a)).toEqual(pcts);
    for (const p of pcts) expect(Math.round(p * 100) / 100).toBe(p);

    const second = await (await save({ symbols: ["HPG", "VCB"], method: "equal_weight" })).json();
    const list = (await (await listSaved(new Request("http://localhost/api/portfolio/allocations"), undefined as never)).json()).allocations;
    expect(list.map((s: { id: string }) => s.id)).toEqual([second.id, saved.id]);
    expect(second.rows.map((r: { pct: number }) => r.pct)).toEqual([50, 50]);

    const opened = await getSaved(new Request("http://localhost/x"), ctx(saved.id));
    expect((await opened.json()).rows).toEqual(saved.rows);

    const gone = await deleteSaved(new Request("http://localhost/x", { method: "DELETE" }), ctx(second.id));
    expect(gone.status).toBe(204);
    expect((await getSaved(new Request("http://localhost/x"), ctx(second.id))).status).toBe(404);
    const left = await db.pool.query("SELECT count(*)::int AS n FROM portfolio_allocations WHERE id = ANY($1::uuid[])", [second.rows.map((r: { id: string }) => r.id)]);
    expect(left.rows[0].n).toBe(0);
  });

  it("another user's saved allocation is 404 to open and to delete, and stays as it was", async () => {
    edge.user = alice;
    const mine = await (await save({ symbols: ["HPG", "VCB"], method: "min_volatility" })).json();
    edge.user = bob;
    try {
      expect((await getSaved(new Request("http://localhost/x"), ctx(mine.id))).status).toBe(404);
      const del = await deleteSaved(new Request("http://localhost/x", { method: "DELETE" }), ctx(mine.id));
      expect(del.status).toBe(404);
      expect(await del.json()).toEqual({ error: "Not found." });
      expect((await (await listSaved(new Request("http://localhost/x"), undefined as never)).json()).allocations).toEqual([]);
      expect((await getSaved(new Request("http://localhost/x"), ctx("not-a-uuid"))).status).toBe(404);
    } finally {
      edge.user = alice;
    }
    expect((await getSaved(new Request("http://localhost/x"), ctx(mine.id))).status).toBe(200);
  });

  it("the database refuses an allocation row joined to another user's set", async () => {
    const { rows: sets } = await db.pool.query("SELECT id FROM portfolio_allocation_sets WHERE user_id = $1 LIMIT 1", [alice.id]);
    const { rows: own } = await db.pool.query("INSERT INTO portfolio_allocations (user_id, symbol, allocation_pct) VALUES ($1, 'HPG', 10) RETURNING id", [bob.id]);
    await expect(db.pool.query("INSERT INTO portfolio_allocation_set_rows (set_id, allocation_id, position) VALUES ($1, $2, 99)", [sets[0].id, own[0].id])).rejects.toThrow(/its own user/);
  });

  it("signed out, every portfolio route answers 401", async () => {
    edge.user = null;
    try {
      expect((await optimize({})).status).toBe(401);
      expect((await orders({})).status).toBe(401);
      expect((await save({})).status).toBe(401);
      expect((await listSaved(new Request("http://localhost/x"), undefined as never)).status).toBe(401);
    } finally {
      edge.user = alice;
    }
  });
});
