/**
 * seedDemoData against real PostgreSQL: a reduced universe into a database of its own (created on the
 * test run's server and migrated here), so that "empty" means empty and no other test's candles mix in.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { testDatabaseUrl } from "@/test/db";
import { migrate } from "@/db/migrate";
import { DEMO_EMAIL, DEMO_PASSWORD } from "./account";
import { countMinuteBars, demoDailySeries, demoEodBars, planDemoData, type DemoOptions } from "./market";
import { isDatabaseEmpty, seedDemoData } from "./seed";

const name = `qf_seed_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
let admin: pg.Client;
let pool: pg.Pool;

// Captured once: the seed refuses bars in the future, so "today" follows the clock here.
const options: DemoOptions = {
  now: new Date(),
  symbols: ["VNINDEX", "IRON_ORE", "HPG", "CTD", "HBC"],
  intradayDays: 5,
  historyYears: 1,
};

beforeAll(async () => {
  admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const client = await pool.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
});

afterAll(async () => {
  await pool?.end();
  // pool.end() resolves before the server has seen every client leave; a forced drop would then
  // kill a closing connection and surface as an unhandled error. Wait for them to go.
  for (let i = 0; i < 50; i++) {
    const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
    if (rows[0].n === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin?.end();
});

async function fingerprint() {
  const { rows } = await pool.query(`
    SELECT (SELECT count(*)::int FROM market_candles) AS minutes,
           (SELECT count(*)::int FROM market_candles_eod) AS eod,
           (SELECT sum(close * volume)::float8 FROM market_candles) AS minute_value,
           (SELECT sum(close * volume)::float8 FROM market_candles_eod) AS eod_value,
           (SELECT count(*)::int FROM market_symbols) AS symbols,
           (SELECT count(*)::int FROM users) AS users,
           (SELECT count(*)::int FROM value_chain_nodes) AS nodes,
           (SELECT count(*)::int FROM value_chain_edges) AS edges,
           (SELECT count(*)::int FROM value_chain_changes) AS changes`);
  return rows[0];
}

describe("seedDemoData", () => {
  const plan = planDemoData(options);
  const lines: string[] = [];

  it("fills an empty database: symbols, EOD history, 1-minute bars, the demo account", async () => {
    expect(await isDatabaseEmpty(pool)).toBe(true);
    const summary = await seedDemoData(pool, { ...options, log: (l) => lines.push(l) });
    expect(await isDatabaseEmpty(pool)).toBe(false);

    const expectedEod = plan.symbols.reduce((n, s) => n + demoEodBars(plan, s.symbol).length, 0);
    expect(summary).toMatchObject({ symbols: 5, minuteBars: countMinuteBars(plan), eodBars: expectedEod, demoUser: "created" });
    const fp = await fingerprint();
    expect(fp).toMatchObject({ minutes: countMinuteBars(plan), eod: expectedEod, symbols: 5, users: 1 });

    // The demo chain, cut to the symbols seeded: iron ore, HPG, CTD, HBC and the two unlisted nodes;
    // the edges between them.
    expect(summary.chain).toEqual({ outcome: "created", nodes: 6, edges: 3 });
    const { rows: edges } = await pool.query(
      `SELECT s.symbol AS source, t.symbol AS target FROM value_chain_edges e
         JOIN value_chain_nodes s ON s.id = e.source_id JOIN value_chain_nodes t ON t.id = e.target_id ORDER BY 1, 2`,
    );
    expect(edges).toEqual([
      { source: "HPG", target: "CTD" },
      { source: "HPG", target: "HBC" },
      { source: "IRON_ORE", target: "HPG" },
    ]);
    expect(lines.some((l) => /^Demo value chain: 6 nodes, 3 edges \([\d.]+ s\)\.$/.test(l))).toBe(true);
    // Analysed at once (1 year: the history is shorter than 3), each edge's values stored with its history row.
    expect(summary.chainAnalysed).toBe(3);
    const { rows: analysed } = await pool.query("SELECT count(*)::int AS n FROM value_chain_edges WHERE lead_time_days IS NOT NULL AND correlation_coeff IS NOT NULL");
    expect(analysed[0].n).toBe(3);
    expect((await pool.query("SELECT count(*)::int AS n FROM value_chain_analyses WHERE window_years = 1 AND computed_by IS NULL")).rows[0].n).toBe(3);
    expect(lines.some((l) => /^1-minute bars: [\d,]+ \/ [\d,]+$/.test(l))).toBe(true);

    const { rows: symbols } = await pool.query("SELECT symbol, kind, exchange, sector FROM market_symbols ORDER BY symbol");
    expect(symbols).toEqual([
      { symbol: "CTD", kind: "stock", exchange: "HOSE", sector: "Construction" },
      { symbol: "HBC", kind: "stock", exchange: "UPCOM", sector: "Construction" },
      { symbol: "HPG", kind: "stock", exchange: "HOSE", sector: "Steel" },
      { symbol: "IRON_ORE", kind: "commodity", exchange: null, sector: "Commodities" },
      { symbol: "VNINDEX", kind: "index", exchange: "HOSE", sector: null },
    ]);

    const { rows: users } = await pool.query("SELECT password_hash FROM users WHERE email = $1", [DEMO_EMAIL]);
    expect(await verifyPassword(users[0].password_hash, DEMO_PASSWORD)).toBe(true);

    // The starter workflows, the demo analyst's, inactive until they are switched on.
    const { rows: flows } = await pool.query("SELECT w.name, w.is_active FROM workflows w JOIN users u ON u.id = w.user_id WHERE u.email = $1 ORDER BY w.name", [DEMO_EMAIL]);
    expect(flows).toEqual([
      { name: "Golden cross on VN30", is_active: false },
      { name: "Iron ore shock → steel and builders", is_active: false },
      { name: "Liquidity spike alert", is_active: false },
      { name: "RSI oversold steel stocks", is_active: false },
    ]);
  });

  it("shows in market_candles_1d exactly the generated daily series, the window aggregated from minutes", async () => {
    for (const s of plan.symbols) {
      const { rows } = await pool.query(
        "SELECT bucket, open, high, low, close, volume FROM market_candles_1d WHERE symbol = $1 ORDER BY bucket",
        [s.symbol],
      );
      const stored = rows.map((r) => [r.bucket.getTime(), r.open, r.high, r.low, r.close, Number(r.volume)]);
      const generated = demoDailySeries(plan, s.symbol).map((d) => [d.time.getTime(), d.open, d.high, d.low, d.close, d.volume]);
      expect(stored, s.symbol).toEqual(generated);
    }
  });

  it("changes nothing when run again", async () => {
    const before = await fingerprint();
    const { rows: hashBefore } = await pool.query("SELECT password_hash FROM users WHERE email = $1", [DEMO_EMAIL]);
    const summary = await seedDemoData(pool, options);
    expect(summary.demoUser).toBe("existed");
    expect(summary.chain.outcome).toBe("existed");
    expect(await fingerprint()).toEqual(before);
    const { rows: hashAfter } = await pool.query("SELECT password_hash FROM users WHERE email = $1", [DEMO_EMAIL]);
    expect(hashAfter).toEqual(hashBefore);
    expect((await pool.query("SELECT count(*)::int AS n FROM workflows")).rows[0].n).toBe(4);
  });

  it("refuses bad options before writing anything", async () => {
    const before = await fingerprint();
    await expect(seedDemoData(pool, { ...options, symbols: ["HPG", "NOPE"] })).rejects.toThrow(/unknown symbols: NOPE/);
    expect(await fingerprint()).toEqual(before);
  });
});
