/**
 * The market routes as the browser calls them: the app's handlers run unchanged; only the edges are
 * replaced (the session user, the app's pool = a database of this file's own).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { JobRunner } from "@/lib/jobs/runner";
import { backfillJobHandler } from "@/lib/market/backfill";
import { ingestCandles, refreshAggregates } from "@/lib/market/ingest";
import { sessionMinutes } from "@/lib/market/calendar";
import { startDnseChartStandIn, type DnseChartStandIn } from "@/test/dnse-chart-stand-in";
import { scratchDatabaseForFile } from "@/test/scratch-db";

const edge = vi.hoisted(() => ({ user: null as { id: string; email: string; role: "admin" | "analyst" } | null, pool: undefined as unknown, dnseUrl: "http://127.0.0.1:9" }));
vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return { ...actual, env: () => ({ ...actual.parseEnv({}), DNSE_BASE_URL: edge.dnseUrl, DNSE_USER_SERVICE_URL: `${edge.dnseUrl}/user-service` }) };
});
vi.mock("@/app/_lib/session", () => ({ getSessionUser: async () => edge.user }));
vi.mock("@/db/client", () => ({ getPool: () => edge.pool }));
vi.mock("@/lib/cache", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/cache")>();
  const cache = new actual.MemoryCache();
  return { ...actual, appCache: () => cache };
});

const db = scratchDatabaseForFile("market_routes");
const { GET: getSymbols } = await import("@/app/api/symbols/route");
const { GET: getCandles } = await import("@/app/api/candles/route");
const { GET: getSnapshot } = await import("@/app/api/market/snapshot/route");
const { POST: postImport } = await import("@/app/api/candles/import/route");
const { POST: postBackfill } = await import("@/app/api/market/backfill/route");
const { GET: getBackfill } = await import("@/app/api/market/backfill/[jobId]/route");
const { GET: getOverrides, POST: postOverride } = await import("@/app/api/market/bar-overrides/route");

// Writing market data is for admins (issue 9); reading it for every signed-in user.
const signedIn = { id: "00000000-0000-4000-8000-000000000001", email: "admin@example.vn", role: "admin" as const };
const analyst = { id: "00000000-0000-4000-8000-000000000003", email: "analyst@example.vn", role: "analyst" as const };
const get = (handler: (r: Request, c: unknown) => Promise<Response>, path: string) =>
  handler(new Request(`http://localhost${path}`), {});

beforeAll(async () => {
  edge.pool = db.pool;
  edge.user = signedIn;
  // Backfill jobs are rows of their user (background_jobs.user_id references users).
  await db.pool.query(
    `INSERT INTO users (id, email, password_hash) VALUES ($1, 'admin@example.vn', 'x'), ('00000000-0000-4000-8000-000000000002', 'other@example.vn', 'x'), ($2, 'analyst@example.vn', 'x')`,
    [signedIn.id, analyst.id],
  );
  await db.pool.query(
    `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES
       ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel'), ('VNINDEX', 'VN-Index', 'index', 'HOSE', NULL)`,
  );
  const rows = ["2025-03-03", "2025-03-04"].flatMap((day) =>
    sessionMinutes("HOSE", day).map((time, i) => ({ time, symbol: "HPG", open: 25_950, high: 26_000, low: 25_900, close: 25_950 + (i % 2) * 50, volume: 1_000 })),
  );
  await ingestCandles(db.pool, rows);
  await refreshAggregates(db.pool);
});
afterAll(() => {
  edge.user = null;
});

describe("signed out", () => {
  it("every market route answers 401 JSON", async () => {
    edge.user = null;
    try {
      for (const [handler, path] of [
        [getSymbols, "/api/symbols?q=HP"],
        [getCandles, "/api/candles?symbol=HPG&resolution=1m"],
        [getSnapshot, "/api/market/snapshot"],
        [postImport, "/api/candles/import"],
        [postBackfill, "/api/market/backfill"],
      ] as const) {
        const response = await get(handler, path);
        expect(response.status, path).toBe(401);
        expect(await response.json()).toEqual({ error: "Sign in first." });
      }
    } finally {
      edge.user = signedIn;
    }
  });
});

describe("GET /api/symbols", () => {
  it("finds by prefix and refuses a bad limit", async () => {
    const response = await get(getSymbols, "/api/symbols?q=hp&limit=5");
    expect(await response.json()).toEqual({ symbols: [{ symbol: "HPG", name: "Hoa Phat Group", kind: "stock", exchange: "HOSE", sector: "Steel" }] });
    const bad = await get(getSymbols, "/api/symbols?limit=0");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/limit must be from 1 to 100/);
  });
});

describe("GET /api/candles", () => {
  it("answers Vietnam times with +07:00, prices in VND and the day's limits", async () => {
    const response = await get(getCandles, "/api/candles?symbol=hpg&resolution=1m&from=2025-03-04T09:15&to=2025-03-04T09:17");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      symbol: "HPG",
      resolution: "1m",
      exchange: "HOSE",
      kind: "stock",
      unit: "VND",
      candles: [
        { time: "2025-03-04T09:15:00+07:00", open: 25_950, high: 26_000, low: 25_900, close: 25_950, volume: 1_000 },
        { time: "2025-03-04T09:16:00+07:00", open: 25_950, high: 26_000, low: 25_900, close: 26_000, volume: 1_000 },
      ],
      hasMore: true,
      // The previous session closed at 26,000 (its last bar is the 226th, odd): 27,820 → 27,800; 24,180 → 24,200.
      priceLimits: { date: "2025-03-04", reference: 26_000, ceiling: 27_800, floor: 24_200, basis: "previous-close", source: "computed" },
    });
  });

  it("takes epoch milliseconds and UTC ISO alike", async () => {
    const ms = Date.parse("2025-03-04T02:15:00Z");
    const a = await (await get(getCandles, `/api/candles?symbol=HPG&resolution=15m&from=${ms}&to=${ms + 3_600_000}`)).json();
    const b = await (await get(getCandles, "/api/candles?symbol=HPG&resolution=15m&from=2025-03-04T02:15:00Z&to=2025-03-04T03:15:00Z")).json();
    expect(a.candles.map((c: { time: string }) => c.time)).toEqual(["2025-03-04T09:15:00+07:00", "2025-03-04T09:30:00+07:00", "2025-03-04T09:45:00+07:00", "2025-03-04T10:00:00+07:00"]);
    expect(b).toEqual(a);
  });

  it.each([
    ["/api/candles?symbol=XYZ&resolution=1m", /^Unknown symbol XYZ: /],
    ["/api/candles?symbol=HPG&resolution=2h", /Unsupported resolution "2h": use one of 1m, 5m, 15m, 30m, 1h, 4h, 1D, 1W, 1M/],
    ["/api/candles?symbol=HPG", /Unsupported resolution "": use one of/],
    ["/api/candles?symbol=HPG&resolution=1m&from=yesterday", /from "yesterday" is not a date/],
    ["/api/candles?symbol=HPG&resolution=1m&to=2025-02-30", /to "2025-02-30" is not a date/],
    ["/api/candles?symbol=HPG&resolution=1m&from=2025-03-05&to=2025-03-04", /from .* must be before to/],
    ["/api/candles?symbol=HPG&resolution=1m&limit=5001", /limit must be from 1 to 5000/],
    ["/api/candles?symbol=HPG&resolution=1m&limit=abc", /limit must be a number/],
    ["/api/candles?resolution=1m", /symbol is required/],
  ])("400 with a reason: %s", async (path, message) => {
    const response = await get(getCandles, path);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(message);
  });
});

describe("GET /api/market/snapshot", () => {
  it("defaults to HOSE, computes from the database, then answers from the cache", async () => {
    const first = await (await get(getSnapshot, "/api/market/snapshot")).json();
    expect(first).toMatchObject({ market: "HOSE", vn_index: null, dxy: null, foreign_net_flow: null, source: "database" });
    // HPG's last session (4 March): 113 bars at 25,950 and 113 at 26,000, 1,000 shares each.
    expect(first.market_liquidity).toBe(113 * 25_950_000 + 113 * 26_000_000);
    expect(first.timestamp).toBe("2025-03-04T14:45:00+07:00");
    expect(await (await get(getSnapshot, "/api/market/snapshot?market=HOSE")).json()).toEqual({ ...first, source: "memory" });
  });

  it("refuses an unknown market", async () => {
    const response = await get(getSnapshot, "/api/market/snapshot?market=NYSE");
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe('Unknown market "NYSE": use one of HOSE, HNX, UPCOM');
  });
});

function upload(fields: Record<string, string>, csv?: string): Request {
  const form = new FormData();
  if (csv !== undefined) form.set("file", new File([csv], "bars.csv", { type: "text/csv" }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return new Request("http://localhost/api/candles/import", { method: "POST", body: form });
}

describe("POST /api/candles/import", () => {
  const csv = "date,open,high,low,close,volume\n2024-01-02,25.95,26.4,25.9,26.35,100\n2024-01-03,26.5,26.3,25.8,25.85,100\n2024-01-04,26,26.3,25.8,25.85,100\n";
  const fields = { symbol: "HPG", unit: "thousand VND", resolution: "1D" };

  it("previews the first rows in Vietnam time and every problem", async () => {
    const response = await postImport(upload({ ...fields, mode: "preview" }, csv), {});
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.rows).toBe(2);
    expect(body.preview[0]).toEqual({ time: "2024-01-02T00:00:00+07:00", open: 25_950, high: 26_400, low: 25_900, close: 26_350, volume: 100 });
    expect(body.problems).toEqual([{ line: 3, message: "open 26500 is outside [low 25800, high 26300]" }]);
  });

  it("imports nothing with a bad row, then skips it when asked", async () => {
    const refused = await postImport(upload({ ...fields, mode: "import" }, csv), {});
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.problems).toEqual([{ line: 3, message: "open 26500 is outside [low 25800, high 26300]" }]);
    expect(body.error).toMatch(/nothing was imported/);
    const ok = await postImport(upload({ ...fields, mode: "import", skipBadRows: "true" }, csv), {});
    expect(await ok.json()).toEqual({ imported: 2, skipped: [{ line: 3, message: "open 26500 is outside [low 25800, high 26300]" }], changed: 0, changes: [] });
  });

  it("warns of a wrong unit in the preview and refuses the import, storing nothing, until it is confirmed", async () => {
    // Thousand-VND prices sent as "VND": 25.95 VND and so on, off HOSE's tick grid.
    const thousands = "date,open,high,low,close,volume\n2024-02-01,25.95,26.4,25.9,26.35,100\n2024-02-02,26.35,26.5,26.1,26.2,100\n";
    const vndFields = { ...fields, unit: "VND" };
    const preview = await (await postImport(upload({ ...vndFields, mode: "preview" }, thousands), {})).json();
    expect(preview.rows).toBe(2);
    // Off the grid, and about 1/1,000 of HPG's nearest stored close (January's import above, or March 2025's bars).
    expect(preview.warnings).toEqual([
      { code: "off-tick", message: expect.stringMatching(/^8 of 8 prices are off the HOSE tick grid, most of them fractions of a dong/) },
      { code: "scale", message: expect.stringMatching(/about 1\/1,000 of the closes QuantFlow holds for HPG \(2024-02-0\d: 26\.\d+ VND in this file; 20\d\d-\d\d-\d\d: 25,\d{3} VND stored\)/) },
    ]);
    const stored = async () =>
      Number((await db.pool.query("SELECT count(*) AS n FROM market_candles_eod WHERE symbol = 'HPG' AND time >= '2024-02-01T00:00+07:00' AND time < '2024-02-03T00:00+07:00'")).rows[0].n);
    const refused = await postImport(upload({ ...vndFields, mode: "import" }, thousands), {});
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.error).toMatch(/^Nothing was imported: 8 of 8 prices are off the HOSE tick grid.*confirm the import/);
    expect(body.warnings).toEqual(preview.warnings);
    expect(await stored()).toBe(0);
    const confirmed = await postImport(upload({ ...vndFields, mode: "import", confirmWarnings: "true" }, thousands), {});
    expect(await confirmed.json()).toEqual({ imported: 2, skipped: [], changed: 0, changes: [] });
    expect(await stored()).toBe(2);
    const bad = await postImport(upload({ ...vndFields, mode: "import", confirmWarnings: "yes" }, thousands), {});
    expect((await bad.json()).error).toBe('confirmWarnings must be "true" or "false"');
  });

  it.each([
    [{ ...fields, mode: "import" }, undefined, /file is missing/],
    [{ ...fields, mode: "upload" }, "x", /mode must be "preview" or "import"/],
    [{ ...fields, unit: "USD", mode: "preview" }, "x", /unit must be one of: VND, thousand VND, points/],
    [{ ...fields, symbol: "NOPE", mode: "preview" }, csv, /^Unknown symbol NOPE: /],
    [{ ...fields, mode: "preview" }, "when,open\n1,2\n", /lacks the columns/],
  ])("400 with a reason (%#)", async (f, file, message) => {
    const response = await postImport(upload(f as Record<string, string>, file), {});
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(message);
  });

  it("refuses a body over the size limit before reading it", async () => {
    const request = new Request("http://localhost/api/candles/import", { method: "POST", body: "x", headers: { "content-length": String(30 * 1024 * 1024) } });
    const response = await postImport(request, {});
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatch(/larger than the 20 MB limit/);
  });

  // A file of 1-minute bars of `bytes`, valid throughout (on HOSE's tick grid, weeks of 2012).
  const bigCsv = (bytes: number) => {
    const lines = ["timestamp,open,high,low,close,volume"];
    let size = 0;
    for (let k = 0; size < bytes; k++) {
      const t = new Date(Date.UTC(2012, 0, 2, 2, 15) + k * 60_000).toISOString();
      const row = `${t.slice(0, 10)} ${t.slice(11, 16)},26000,26500,25900,26000,${100 + (k % 5) * 100}`;
      lines.push(row);
      size += row.length + 1;
    }
    return lines.join("\n") + "\n";
  };
  const storedIn2012 = async () =>
    Number((await db.pool.query("SELECT count(*) AS n FROM market_candles WHERE symbol = 'HPG' AND time >= '2012-01-01' AND time < '2013-01-01'")).rows[0].n);

  it("refuses a 21 MB file sent without Content-Length while reading it (413), storing nothing", { timeout: 60_000 }, async () => {
    const request = upload({ symbol: "HPG", unit: "VND", resolution: "1m", mode: "import", confirmWarnings: "true" }, bigCsv(21 * 1024 * 1024));
    expect(request.headers.get("content-length")).toBeNull();
    const response = await postImport(request, {});
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "The file is larger than the 20 MB limit; nothing was imported." });
    expect(await storedIn2012()).toBe(0);
  });

  it("imports a 15 MB file", { timeout: 120_000 }, async () => {
    const csv = bigCsv(15 * 1024 * 1024);
    const response = await postImport(upload({ symbol: "HPG", unit: "VND", resolution: "1m", mode: "import", confirmWarnings: "true" }, csv), {});
    expect(response.status).toBe(200);
    const rows = csv.trimEnd().split("\n").length - 1;
    expect(await response.json()).toEqual({ imported: rows, skipped: [], changed: 0, changes: [] });
    expect(await storedIn2012()).toBe(rows);
  });
});

describe("writing shared market data needs the admin role", () => {
  it("answers 403 to an analyst's import and backfill, and stores nothing", async () => {
    const count = async () => (await db.pool.query("SELECT count(*)::int AS n FROM market_candles_eod WHERE symbol = 'HPG'")).rows[0].n as number;
    const before = await count();
    edge.user = analyst;
    try {
      const csv = "date,open,high,low,close,volume\n2023-01-03,25.95,26.4,25.9,26.35,100\n";
      for (const mode of ["preview", "import"]) {
        const response = await postImport(upload({ symbol: "HPG", unit: "thousand VND", resolution: "1D", mode }, csv), {});
        expect(response.status).toBe(403);
        expect((await response.json()).error).toMatch(/Only an admin may change the market data/);
      }
      const backfill = await postBackfill(
        new Request("http://localhost/api/market/backfill", { method: "POST", body: JSON.stringify({ symbol: "HPG", resolution: "D", from: "2023-01-01", to: "2023-01-05" }) }),
        {},
      );
      expect(backfill.status).toBe(403);
      // Reading stays open to analysts.
      expect((await getCandles(new Request("http://localhost/api/candles?symbol=HPG&resolution=1D"), {})).status).toBe(200);
    } finally {
      edge.user = signedIn;
    }
    expect(await count()).toBe(before);
  });
});

describe("GET and POST /api/market/bar-overrides", () => {
  const post = (body: unknown) =>
    postOverride(new Request("http://localhost/api/market/bar-overrides", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) }), {});
  const stored = async () => (await db.pool.query("SELECT count(*)::int AS n FROM market_bar_overrides WHERE symbol = 'HPG'")).rows[0].n as number;

  it("lets an admin record a reviewed override, which every signed-in user can read in Vietnam time", async () => {
    const response = await post({ symbol: "hpg", tradeDate: "2024-06-14", reason: "Stock dividend 20 %, ex-rights day" });
    expect(response.status).toBe(200);
    const override = await response.json();
    expect(override).toMatchObject({ symbol: "HPG", tradeDate: "2024-06-14", reviewedBy: signedIn.id });
    expect(override.createdAt).toMatch(/\+07:00$/);
    edge.user = analyst;
    try {
      const list = await (await get(getOverrides, "/api/market/bar-overrides?symbol=HPG")).json();
      expect(list.overrides.map((o: { tradeDate: string }) => o.tradeDate)).toContain("2024-06-14");
    } finally {
      edge.user = signedIn;
    }
  });

  it("refuses an analyst (403) and bad input (400), storing nothing", async () => {
    const before = await stored();
    edge.user = analyst;
    try {
      const refused = await post({ symbol: "HPG", tradeDate: "2024-06-17", reason: "split" });
      expect(refused.status).toBe(403);
    } finally {
      edge.user = signedIn;
    }
    for (const body of [
      "not json",
      { symbol: "HPG", tradeDate: "2024-02-30", reason: "split" },
      { symbol: "HPG", tradeDate: "2024-06-17", reason: " " },
      { symbol: "VNINDEX", tradeDate: "2024-06-17", reason: "rebase" },
    ]) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).error).toBeTruthy();
    }
    expect(await stored()).toBe(before);
    expect((await get(getOverrides, "/api/market/bar-overrides?symbol=H%00PG")).status).toBe(400);
  });
});

describe("POST /api/market/backfill and GET /api/market/backfill/<jobId>", () => {
  let dnse: DnseChartStandIn;
  beforeAll(async () => {
    dnse = await startDnseChartStandIn();
    edge.dnseUrl = dnse.url;
    dnse.bars.set("VNINDEX", [{ t: Date.parse("2025-03-03T17:00:00Z") / 1000, o: 1300, h: 1310, l: 1295, c: 1305.5, v: 0 }]);
  });
  afterAll(() => dnse.close());
  const post = (body: unknown) => postBackfill(new Request("http://localhost/api/market/backfill", { method: "POST", body: JSON.stringify(body) }), {});
  const status = (jobId: string) => getBackfill(new Request(`http://localhost/api/market/backfill/${jobId}`), { params: Promise.resolve({ jobId }) });

  // First, before any worker runs in this file: under load the next test's stopped runner was seen to start one of
  // these queued jobs (a dispatch still in flight), so the eleventh request was not refused.
  it("answers 429 past the user's queue of backfills, storing nothing; another user still gets in", async () => {
    const count = async () => (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM background_jobs")).rows[0]!.n;
    // No worker runs here: every accepted backfill waits. The default cap is 10 waiting per user.
    const range = (d: number) => ({ symbol: "HPG", resolution: "D", from: `2024-01-${String(d).padStart(2, "0")}`, to: `2024-01-${String(d + 1).padStart(2, "0")}` });
    for (let d = 1; d <= 10; d++) expect((await post(range(d))).status).toBe(202);
    const before = await count();
    const refused = await post(range(20));
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toBe("You already have 10 backfills waiting to start, the most one user may queue; try again when one of them has started.");
    expect(await count()).toBe(before);
    // The same request as a waiting one is that job, not a new one (and not refused).
    expect((await post(range(1))).status).toBe(202);
    edge.user = { ...signedIn, id: "00000000-0000-4000-8000-000000000002" };
    try {
      expect((await post(range(20))).status).toBe(202);
    } finally {
      edge.user = signedIn;
      // These jobs only fill the queue: the next test's worker must not start behind them.
      await db.pool.query("DELETE FROM background_jobs WHERE state = 'queued'");
    }
  });

  it("queues a job, reports it queued, then running until done once a worker takes it", async () => {
    const started = await post({ symbol: "vnindex", resolution: "D", from: "2025-03-01", to: "2025-03-05" });
    expect(started.status).toBe(202);
    const { jobId } = await started.json();
    // No worker in this process yet: the job waits, and says so.
    expect(await (await status(jobId)).json()).toEqual({ status: "queued", fetched: 0, stored: 0, changed: 0, changes: [], chunksDone: 0, chunksTotal: 1, ahead: 0 });
    const runner = new JobRunner({
      pool: db.pool,
      schema: "pgboss_market_routes",
      supervise: false,
      pollingIntervalSeconds: 0.5,
      dispatchIntervalMs: 100,
      concurrency: { "workflow-run": 1, backfill: 1 },
      handlers: { backfill: backfillJobHandler(db.pool, () => ({ baseUrl: dnse.url })) },
      log: () => {},
    });
    await runner.start();
    let body: Record<string, unknown> = {};
    try {
      for (let i = 0; i < 200; i++) {
        body = await (await status(jobId)).json();
        if (body.status !== "running" && body.status !== "queued") break;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await runner.stop();
    }
    expect(body).toEqual({ status: "done", fetched: 1, stored: 1, changed: 0, changes: [], chunksDone: 1, chunksTotal: 1 });
    const other = { ...signedIn, id: "00000000-0000-4000-8000-000000000002" };
    edge.user = other;
    try {
      expect((await status(jobId)).status).toBe(404);
    } finally {
      edge.user = signedIn;
    }
    expect((await status("no-such-job")).status).toBe(404);
  });

  it.each([
    [{ symbol: "HPG", resolution: "2", from: "2025-03-01", to: "2025-03-02" }, /resolution must be one of 1, 5, 15, 30, 60, D/],
    [{ symbol: "HPG", resolution: "1", from: "soon", to: "2025-03-02" }, /from "soon" is not a date/],
    [{ symbol: "HPG", resolution: "1", to: "2025-03-02" }, /from is required/],
    [{ symbol: "XYZ", resolution: "1", from: "2025-03-01", to: "2025-03-02" }, /^Unknown symbol XYZ/],
    [{ symbol: "HPG", resolution: "1", from: "2025-03-02", to: "2025-03-01" }, /from must be before to/],
    [{ symbol: "HPG", resolution: "15", from: "2025-03-01", to: "2025-03-02" }, /^DNSE serves 1-minute bars \(what 15-minute bars are built from\) for about the last 90 days: start on \d\d\/\d\d\/\d{4} or later/],
  ])("400 with a reason (%#)", async (body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(message);
  });
});
