/**
 * Issue 9, item 8: input that used to end in a 500 (PostgreSQL refuses NUL in text, deep JSON overflowed
 * the stack, an oversized action body) gets the app's own 400/413 answer and changes nothing; a deleted
 * account's page visit redirects; the DNSE client-id refusal does not say whether another account has it.
 * The app's handlers and actions run unchanged against this run's database; only the session is set here.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Fernet, MultiFernet } from "@/lib/crypto/fernet";
import { testPool } from "@/test/db";
import { standInToken } from "@/test/stand-in-token";
import { testDb, uniqueEmail } from "@/test/drizzle";

const edge = vi.hoisted(() => ({
  user: null as { id: string; email: string; role: "admin" | "analyst" } | null,
  db: undefined as unknown,
  pool: undefined as unknown,
  cipher: undefined as unknown,
}));

vi.mock("@/app/_lib/session", () => ({ getSessionUser: async () => edge.user }));
vi.mock("@/db/client", () => ({ getDb: () => edge.db, getPool: () => edge.pool }));
vi.mock("@/lib/crypto/secrets-cipher", () => ({ secretsCipher: () => edge.cipher }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { GET: getSymbols } = await import("@/app/api/symbols/route");
const { GET: getCandles } = await import("@/app/api/candles/route");
const { POST: postBackfill } = await import("@/app/api/market/backfill/route");
const workflowActions = await import("@/app/(app)/workflows/actions");
const broker = await import("@/app/(app)/settings/broker/actions");
const { signUp } = await import("@/lib/auth/accounts");
const { actionBodyTooLarge } = await import("@/app/_lib/action-body-limit");
const { requirePageUser } = await import("@/app/_lib/page-user");

const pool = testPool();
edge.db = testDb();
edge.pool = pool;
edge.cipher = new MultiFernet([Fernet.generateKey()]);

const PASSWORD = "input-faults password";
const CONTROL = /contains a control character \(such as NUL, \\u0000\): remove it and try again/;
let me: { id: string; email: string; role: "admin" };
let other: { id: string };
let workflowId: string;

async function account(label: string) {
  const signed = await signUp(edge.db as never, { email: uniqueEmail(label), password: PASSWORD, confirmPassword: PASSWORD }, { mode: "open" });
  if (!signed.ok) throw new Error("sign-up failed");
  return signed.user;
}

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

const get = (handler: (r: Request, c: unknown) => Promise<Response>, url: string) => handler(new Request(`http://localhost${url}`), {});
const myWorkflows = async () => (await pool.query("SELECT name, json_graph FROM workflows WHERE user_id = $1 ORDER BY name", [me.id])).rows;

beforeAll(async () => {
  const mine = await account("faults");
  me = { id: mine.id, email: mine.email, role: "admin" };
  other = await account("faults-other");
  edge.user = me;
  const created = await workflowActions.createWorkflowAction({}, form({ name: "Steel RSI" }));
  if (!created.ok) throw new Error(JSON.stringify(created));
  workflowId = created.data!.id!;
});
afterAll(() => {
  edge.user = null;
});

describe("a NUL byte in a symbol or a query answers 400 with the app's message", () => {
  it.each([
    ["/api/symbols?q=HP%00G", /^q contains a control character/],
    ["/api/symbols?q=%00", /^q contains a control character/],
    ["/api/candles?symbol=HP%00G&resolution=1D", /^symbol contains a control character/],
    ["/api/candles?symbol=%00&resolution=1m", /^symbol contains a control character/],
  ])("GET %s", async (url, message) => {
    const response = await get(url.startsWith("/api/symbols") ? getSymbols : getCandles, url);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(message);
  });

  it("POST /api/market/backfill with a NUL in the symbol", async () => {
    const response = await postBackfill(
      new Request("http://localhost/api/market/backfill", { method: "POST", body: JSON.stringify({ symbol: "HPG\u0000", resolution: "D", from: "2025-01-01", to: "2025-02-01" }) }),
      {},
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/^symbol contains a control character/);
  });
});

describe("a NUL byte in a workflow name or a node label is refused, storing nothing", () => {
  it("create, rename and import name the field", async () => {
    const before = await myWorkflows();
    expect(await workflowActions.createWorkflowAction({}, form({ name: "Steel\u0000RSI" }))).toMatchObject({ fieldErrors: { name: expect.stringMatching(CONTROL) } });
    expect(await workflowActions.renameWorkflowAction({}, form({ id: workflowId, name: "\u0000" }))).toMatchObject({ fieldErrors: { name: expect.stringMatching(CONTROL) } });
    const graph = JSON.stringify({ schemaVersion: 1, nodes: [], edges: [] });
    expect(await workflowActions.importWorkflowAction({}, form({ json: graph, name: "x\u0000" }))).toMatchObject({ fieldErrors: { name: expect.stringMatching(CONTROL) } });
    // The name inside an exported file, too.
    const file = JSON.stringify({ quantflowWorkflow: 1, name: "Steel\u0000RSI", graph: JSON.parse(graph) });
    expect(await workflowActions.importWorkflowAction({}, form({ json: file }))).toMatchObject({ error: expect.stringMatching(CONTROL) });
    expect(await myWorkflows()).toEqual(before);
  });

  it("the builder's save and an import with a NUL label", async () => {
    const before = await myWorkflows();
    const graph = { schemaVersion: 1, nodes: [{ id: "t", type: "trigger.manual", position: { x: 0, y: 0 }, data: { label: "Start\u0000", params: {} } }], edges: [] };
    const saved = await workflowActions.saveWorkflowGraph({ id: workflowId, graph });
    expect(saved).toMatchObject({ error: expect.stringMatching(CONTROL) });
    const imported = await workflowActions.importWorkflowAction({}, form({ json: JSON.stringify(graph) }));
    expect(imported).toMatchObject({ error: expect.stringMatching(CONTROL) });
    expect(await myWorkflows()).toEqual(before);
  });
});

describe("a JSON document nested 200,000 levels deep", () => {
  const deep = "[".repeat(200_000) + "]".repeat(200_000);

  it("as an import answers the app's message (no stack overflow)", async () => {
    const before = await myWorkflows();
    for (const json of [deep, `{"schemaVersion":1,"nodes":[],"edges":[],"x":${deep}}`, `{"quantflowWorkflow":1,"name":"Deep","graph":${deep}}`]) {
      const result = await workflowActions.importWorkflowAction({}, form({ json }));
      expect(result).toMatchObject({ error: expect.stringMatching(/nested more than 64 levels deep/) });
    }
    expect(await myWorkflows()).toEqual(before);
  });

  it("as a save answers the app's message", async () => {
    const graph = { schemaVersion: 1, nodes: [], edges: [], x: JSON.parse(deep) as unknown };
    expect(await workflowActions.saveWorkflowGraph({ id: workflowId, graph })).toMatchObject({ error: expect.stringMatching(/nested more than 64 levels deep/) });
  });
});

describe("a graph over 1 MB", () => {
  it("a save answers the app's size message, storing nothing", async () => {
    const before = await myWorkflows();
    const nodes = Array.from({ length: 150 }, (_, i) => ({ id: `t${i}`, type: "trigger.manual", position: { x: i, y: 0 }, data: { params: {} }, note: "x".repeat(8_000) }));
    const result = await workflowActions.saveWorkflowGraph({ id: workflowId, graph: { schemaVersion: 1, nodes, edges: [] } });
    expect(result).toMatchObject({ error: expect.stringMatching(/the graph is 1\.2 MB; at most 1 MB can be saved/) });
    expect(await myWorkflows()).toEqual(before);
  });

  it("a server action body over Next's 1 MB limit gets a 413 with the app's message before Next's handler", async () => {
    const action = (length: number) =>
      new Request(`http://localhost/workflows/${workflowId}`, { method: "POST", headers: { "next-action": "abc123", "content-length": String(length) } });
    const refused = actionBodyTooLarge(action(1_300_000))!;
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({
      error: "The request is 1.3 MB; at most 1 MB can be sent (a workflow graph, saved or imported, is limited to 1 MB). Remove some nodes, or split the workflow in two.",
    });
    expect(actionBodyTooLarge(action(1024 * 1024))).toBeUndefined();
    // Not an action (an API route has its own limits), or no length given: not this check's business.
    expect(actionBodyTooLarge(new Request("http://localhost/api/candles/import", { method: "POST", headers: { "content-length": "5000000" } }))).toBeUndefined();
  });
});

describe("a deleted account's still-valid cookie", () => {
  it("redirects a page to /login instead of reading the id of null", async () => {
    edge.user = null;
    try {
      await expect(requirePageUser()).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;replace;\/login;307;/) });
    } finally {
      edge.user = me;
    }
  });

  it("no page under (app) assumes the user exists", () => {
    const root = path.join(process.cwd(), "app", "(app)");
    const pages = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith("page.tsx"));
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) expect(readFileSync(path.join(root, page), "utf8"), page).not.toMatch(/getSessionUser\(\)\)!/);
  });
});

describe("the DNSE client-id refusal", () => {
  it("does not tell whether another account holds the id", async () => {
    const clientId = `064CF${Math.random().toString().slice(2, 8)}`;
    edge.user = { id: other.id, email: "", role: "admin" };
    try {
      expect(await broker.saveBrokerAction({}, form({ clientId, token: standInToken("ok-other") }))).toMatchObject({ ok: true });
    } finally {
      edge.user = me;
    }
    const result = await broker.saveBrokerAction({}, form({ clientId, token: standInToken("ok-me") }));
    expect(result).toEqual({
      error: "This client id cannot be used with this account. Check that it is your own DNSE client id; if it is, ask whoever runs QuantFlow.",
      fieldErrors: { clientId: "This client id cannot be used with this account. Check that it is your own DNSE client id; if it is, ask whoever runs QuantFlow." },
    });
    expect(JSON.stringify(result)).not.toMatch(/another|already|taken|in use/i);
    const { rows } = await pool.query("SELECT dnse_client_id FROM users WHERE id = $1", [me.id]);
    expect(rows[0].dnse_client_id).toBeNull();
  });
});
