/**
 * POST /api/candles/correct as the import panel and scripts call it: the handler runs unchanged; only
 * the edges are replaced (the session user, the app's pool = a database of this file's own).
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { sessionMinutes } from "@/lib/market/calendar";
import { ingestCandles, ingestDailyBars, refreshAggregates } from "@/lib/market/ingest";
import { scratchDatabaseForFile } from "@/test/scratch-db";

const edge = vi.hoisted(() => ({ user: null as { id: string; email: string; role: "admin" | "analyst" } | null, pool: undefined as unknown }));
vi.mock("@/app/_lib/session", () => ({ getSessionUser: async () => edge.user }));
vi.mock("@/db/client", () => ({ getPool: () => edge.pool }));

const db = scratchDatabaseForFile("correct_route");
const { POST } = await import("@/app/api/candles/correct/route");
// Corrections write shared market data: admins only (issue 9).
const signedIn = { id: "00000000-0000-4000-8000-000000000001", email: "admin@example.vn", role: "admin" as const };

const post = (body: unknown) =>
  POST(new Request("http://localhost/api/candles/correct", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), {});
const postForm = (fields: Record<string, string>, csv?: string) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (csv !== undefined) form.set("file", new File([csv], "fix.csv", { type: "text/csv" }));
  return POST(new Request("http://localhost/api/candles/correct", { method: "POST", body: form }), {});
};
const hour = async (iso: string) =>
  (await db.pool.query("SELECT volume FROM market_candles_1h WHERE symbol = 'HPG' AND bucket = $1", [new Date(iso)])).rows[0]?.volume as string | undefined;
const count = async () => Number((await db.pool.query("SELECT count(*) AS n FROM market_candles WHERE symbol = 'HPG'")).rows[0].n);

beforeAll(async () => {
  edge.pool = db.pool;
  edge.user = signedIn;
  await db.pool.query("INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel')");
  const rows = ["2025-03-03", "2025-03-04"].flatMap((day) =>
    sessionMinutes("HOSE", day).map((time) => ({ time, symbol: "HPG", open: 25_950, high: 26_000, low: 25_900, close: 25_950, volume: 1_000 })),
  );
  await ingestCandles(db.pool, rows);
  await ingestDailyBars(db.pool, [{ time: new Date("2025-02-27T17:00:00Z"), symbol: "HPG", open: 25_000, high: 25_500, low: 24_900, close: 25_400, volume: 500_000 }]);
  await refreshAggregates(db.pool);
});

describe("POST /api/candles/correct", () => {
  it("answers 401 signed out, and changes nothing", async () => {
    edge.user = null;
    try {
      const response = await post({ symbol: "HPG", resolution: "1m", action: "delete", from: "2025-03-03", to: "2025-03-05" });
      expect(response.status).toBe(401);
    } finally {
      edge.user = signedIn;
    }
    expect(await count()).toBeGreaterThan(0);
  });

  it("answers 403 to an analyst, and changes nothing", async () => {
    const before = await count();
    edge.user = { id: "00000000-0000-4000-8000-000000000002", email: "analyst@example.vn", role: "analyst" };
    try {
      const response = await post({ symbol: "HPG", resolution: "1m", action: "delete", from: "2025-03-03", to: "2025-03-05" });
      expect(response.status).toBe(403);
    } finally {
      edge.user = signedIn;
    }
    expect(await count()).toBe(before);
  });

  it("deletes a range (JSON, Vietnam times): 1h shows it at once; the answer's times carry +07:00", async () => {
    expect(await hour("2025-03-04T03:00:00Z")).toBe("60000"); // 10:00–11:00 in Vietnam
    const response = await post({ symbol: "hpg", resolution: "1m", action: "delete", from: "2025-03-04 10:00", to: "2025-03-04 10:30" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ symbol: "HPG", resolution: "1m", from: "2025-03-04T10:00:00+07:00", to: "2025-03-04T10:30:00+07:00", deleted: 30, written: 0, changed: 30 });
    expect(await hour("2025-03-04T03:00:00Z")).toBe("30000");
  });

  it("replaces a range from a CSV file (multipart, as the import panel sends it)", async () => {
    const csv = ["time,open,high,low,close,volume", "2025-03-04 10:00,26,26.1,25.9,26,2000", "2025-03-04 10:01,26,26.1,25.9,26.05,3000"].join("\n");
    const response = await postForm({ symbol: "HPG", resolution: "1m", action: "replace", from: "2025-03-04 10:00", to: "2025-03-04 11:00", unit: "thousand VND" }, csv);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ deleted: 30, written: 2 });
    expect(await hour("2025-03-04T03:00:00Z")).toBe("5000");
  });

  it("replaces an official daily bar (1D, JSON bars)", async () => {
    const response = await post({
      symbol: "HPG",
      resolution: "1D",
      action: "replace",
      from: "2025-02-28",
      to: "2025-03-01",
      bars: [{ time: "2025-02-28", open: 25_100, high: 25_500, low: 24_900, close: 25_400, volume: 509_510 }],
    });
    expect(response.status).toBe(200);
    const { rows } = await db.pool.query("SELECT open, volume FROM market_candles_1d WHERE symbol = 'HPG' AND bucket = '2025-02-27T17:00:00Z'");
    expect(rows).toEqual([{ open: 25_100, volume: "509510" }]);
  });

  it("refuses bad input with a clear message and changes nothing", async () => {
    const before = await count();
    const cases: [Promise<Response>, RegExp][] = [
      [post({ symbol: "HPG", resolution: "5m", action: "delete", from: "2025-03-03", to: "2025-03-04" }), /resolution must be one of: 1m, 1D/],
      [post({ symbol: "HPG", resolution: "1m", action: "delete", from: "yesterday", to: "2025-03-04" }), /from "yesterday" is not a date/],
      [post({ symbol: "HPG", resolution: "1m", action: "delete", from: "2025-03-04", to: "2025-03-03" }), /from \(2025-03-04T00:00:00\+07:00\) must be before to/],
      [post({ symbol: "NOPE", resolution: "1m", action: "delete", from: "2025-03-03", to: "2025-03-04" }), /Unknown symbol NOPE/],
      [post({ symbol: "HPG", resolution: "1m", action: "replace", from: "2025-03-03", to: "2025-03-04", bars: [{ time: "2025-03-03 10:00", open: 1, high: 0.5, low: 1, close: 1, volume: 1 }] }), /nothing was stored/],
      [postForm({ symbol: "HPG", resolution: "1m", action: "replace", from: "2025-03-03", to: "2025-03-04", unit: "VND" }, "time,open,high,low,close,volume\n2025-03-03 10:00,x,1,1,1,1"), /Nothing was changed: 1 bad row in the file \(line 2: open "x" is not a number\)/],
      [postForm({ symbol: "HPG", resolution: "1m", action: "replace", from: "2025-03-03", to: "2025-03-04" }, "time,open,high,low,close,volume\n"), /unit is required with a CSV file/],
    ];
    for (const [pending, message] of cases) {
      const response = await pending;
      expect(response.status, String(message)).toBe(400);
      expect((await response.json()).error).toMatch(message);
    }
    expect(await count()).toBe(before);
  });
});
