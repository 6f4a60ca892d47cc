/**
 * Ownership, proven route by route and action by action: two users, each with a DNSE connection and
 * rows in every user-owned table. Signed in as one, nothing of the other can be read, changed or
 * deleted; signed out, every route answers 401 and every action stores nothing.
 *
 * The app's own handlers and actions run here unchanged; only the edges are replaced: next-auth's
 * cookie check (getServerSession answers the user chosen by the test, with a live session of theirs),
 * the request's headers (a fresh client address per request, so the throttles stay out of the way),
 * the app's database (this run's),
 * the Fernet keys and DNSE's base URL (the local stand-in), and Next's cache invalidation.
 *
 * To extend: add a row to ROUTES or ACTIONS (they exist now), or to OWNED (lib/ownership, for the
 * pages later issues add).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Fernet, MultiFernet } from "@/lib/crypto/fernet";
import { testPool } from "@/test/db";
import { startDnseStandIn, type DnseStandIn } from "@/test/dnse-stand-in";
import { standInToken } from "@/test/stand-in-token";
import { testDb, uniqueEmail } from "@/test/drizzle";

const edge = vi.hoisted(() => ({
  userId: null as string | null,
  sids: {} as Record<string, string>,
  newSession: (async () => "") as (userId: string) => Promise<string>,
  db: undefined as unknown,
  pool: undefined as unknown,
  cipher: undefined as unknown,
  dnseUrl: "http://127.0.0.1:9",
}));

vi.mock("next-auth", () => ({
  getServerSession: async () => {
    if (!edge.userId) return null;
    const sid = (edge.sids[edge.userId] ??= await edge.newSession(edge.userId));
    return { user: { id: edge.userId, email: "", sid }, expires: "" };
  },
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-quantflow-peer": `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250)).join(".")}` }),
}));
vi.mock("@/app/_lib/auth-options", () => ({ authOptions: () => ({}) }));
vi.mock("@/db/client", () => ({ getDb: () => edge.db, getPool: () => edge.pool }));
vi.mock("@/lib/crypto/secrets-cipher", () => ({ secretsCipher: () => edge.cipher }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return { ...actual, env: () => ({ ...actual.parseEnv({}), DNSE_BASE_URL: edge.dnseUrl, DNSE_USER_SERVICE_URL: `${edge.dnseUrl}/user-service` }) };
});

const { GET: getAccount } = await import("@/app/api/account/route");
const { GET: getBroker } = await import("@/app/api/broker/route");
const { POST: postBrokerTest } = await import("@/app/api/broker/test/route");
const broker = await import("@/app/(app)/settings/broker/actions");
const account = await import("@/app/(app)/settings/account/actions");
const workflowActions = await import("@/app/(app)/workflows/actions");
const { POST: postRun } = await import("@/app/api/workflows/[id]/runs/route");
const { GET: getRunRoute } = await import("@/app/api/workflows/[id]/runs/[runId]/route");
const { GET: getRunEvents } = await import("@/app/api/workflows/[id]/runs/[runId]/events/route");
const { GET: getExport } = await import("@/app/api/workflows/[id]/export/route");
const { GET: getBackfillJob } = await import("@/app/api/market/backfill/[jobId]/route");
const vcNode = await import("@/app/api/value-chain/nodes/[id]/route");
const vcEdge = await import("@/app/api/value-chain/edges/[id]/route");
const vcAnalysis = await import("@/app/api/value-chain/edges/[id]/analysis/route");
const vcAnalyses = await import("@/app/api/value-chain/edges/[id]/analyses/route");
const { startBackfill } = await import("@/lib/market/backfill");
const owned = await import("@/lib/ownership/owned");
const usersAdmin = await import("@/app/(app)/settings/users/actions");
const signUpActions = await import("@/app/(auth)/signup/actions");
const sessions = await import("@/lib/auth/sessions");
const { signUp } = await import("@/lib/auth/accounts");
const apiTokens = await import("@/lib/auth/api-tokens");
const { GET: getApiTokens } = await import("@/app/api/account/tokens/route");
const { POST: postImport } = await import("@/app/api/candles/import/route");
const memoriesRoute = await import("@/app/api/memories/route");
const memoryRoute = await import("@/app/api/memories/[id]/route");
const { PostgresMemoryStore } = await import("@/lib/memory/postgres-store");
const memories = await import("@/lib/memory/memories");
const { appMemoryDeps } = await import("@/lib/memory/app");
const { LEXICAL_MODEL, lexicalVector } = await import("@/lib/memory/lexical-embedder");
const { GET: listAllocationSets } = await import("@/app/api/portfolio/allocations/route");
const { GET: getAllocationSet, DELETE: deleteAllocationSet } = await import("@/app/api/portfolio/allocations/[id]/route");
const watchlistRoute = await import("@/app/api/watchlist/route");
const watchlistSymbolRoute = await import("@/app/api/watchlist/[symbol]/route");

const pool = testPool();
edge.db = testDb();
edge.pool = pool;
edge.cipher = new MultiFernet([Fernet.generateKey()]);
edge.newSession = async (userId) => {
  try {
    return (await pool.query<{ id: string }>("INSERT INTO user_sessions (user_id) VALUES ($1) RETURNING id", [userId])).rows[0]!.id;
  } catch {
    return crypto.randomUUID(); // an account that does not exist has no session to make
  }
};
const PASSWORD = "cross-user password";

interface Person {
  id: string;
  email: string;
  clientId: string;
  token: string;
  workflowId: string;
  logId: string;
  allocationId: string;
  /** A saved allocation (portfolio_allocation_sets, issue 11) grouping allocationId. */
  allocationSetId: string;
  memoryId: string;
  /** A personal API token (issue 9, item 7) and its row's id. */
  apiToken: string;
  apiTokenId: string;
}

let dnse: DnseStandIn;
let alice: Person;
let bob: Person;

async function person(label: string): Promise<Person> {
  const signed = await signUp(edge.db as never, { email: uniqueEmail(label), password: PASSWORD, confirmPassword: PASSWORD });
  if (!signed.ok) throw new Error("sign-up failed");
  const { id, email } = signed.user;
  const clientId = `064C${label}${Math.random().toString().slice(2, 7)}`;
  const token = standInToken(`ok-${label}-${Math.random().toString(36).slice(2, 10)}`);
  as(id);
  expect(await broker.saveBrokerAction({}, form({ clientId, token }))).toMatchObject({ ok: true });
  const q = async (sql: string, params: unknown[]) => (await pool.query<{ id: string }>(sql, params)).rows[0]!.id;
  // A trigger and an output, so the owner's manual run is ready to be queued (the others' must be refused anyway).
  const graph = { schemaVersion: 1, nodes: [{ id: "t", type: "trigger.manual", position: { x: 0, y: 0 }, data: { params: {} } }, { id: "s", type: "output.signals", position: { x: 0, y: 200 }, data: { params: {} } }], edges: [] };
  const workflowId = await q("INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, 'Steel RSI', $2) RETURNING id", [id, JSON.stringify(graph)]);
  const logId = await q("INSERT INTO workflow_execution_logs (workflow_id, status) VALUES ($1, 'success') RETURNING id", [workflowId]);
  const allocationId = await q("INSERT INTO portfolio_allocations (user_id, symbol, allocation_pct) VALUES ($1, 'HPG', 40) RETURNING id", [id]);
  // Through the memory store, as the app writes memories: with its 1536-dimensional vector and its model.
  const secret = `${label}'s finding: HPG leads HSG`;
  const [memory] = await new PostgresMemoryStore(pool).add(id, [{ memoryType: "analysis", company: null, content: secret, vector: lexicalVector(secret), model: LEXICAL_MODEL }]);
  const memoryId = memory!.id;
  const allocationSetId = await newAllocationSet(id, allocationId);
  const made = await apiTokens.createApiToken(edge.db as never, id, `${label}'s notebook`);
  if (!made.ok) throw new Error("token not made");
  return { id, email, clientId, token, workflowId, logId, allocationId, allocationSetId, memoryId, apiToken: made.token, apiTokenId: made.apiToken.id };
}

/** A saved allocation of `userId` grouping the given allocation row (or a fresh one). */
async function newAllocationSet(userId: string, allocationId?: string): Promise<string> {
  const rowId = allocationId ?? (await pool.query<{ id: string }>("INSERT INTO portfolio_allocations (user_id, symbol, allocation_pct) VALUES ($1, 'VCB', 100) RETURNING id", [userId])).rows[0]!.id;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO portfolio_allocation_sets (user_id, name, method, params, metrics) VALUES ($1, 'Steel and banks', 'max_sharpe', '{"lookbackDays": 252}', '{"sharpe": 1.2}') RETURNING id`,
    [userId],
  );
  await pool.query("INSERT INTO portfolio_allocation_set_rows (set_id, allocation_id, position) VALUES ($1, $2, 0)", [rows[0]!.id, rowId]);
  return rows[0]!.id;
}

function as(userId: string | null) {
  edge.userId = userId;
}

function form(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

/** Everything a user owns, straight from the database, to compare before and after. */
async function snapshot(p: Person) {
  const { rows } = await pool.query(
    `SELECT u.email, u.password_hash, u.dnse_client_id, u.dnse_token, c.token_updated_at,
            (SELECT json_agg(w.* ORDER BY w.id) FROM workflows w WHERE w.user_id = u.id) AS workflows,
            (SELECT json_agg(l.* ORDER BY l.id) FROM workflow_execution_logs l JOIN workflows w ON w.id = l.workflow_id WHERE w.user_id = u.id) AS logs,
            (SELECT json_agg(a.* ORDER BY a.id) FROM portfolio_allocations a WHERE a.user_id = u.id) AS allocations,
            (SELECT json_agg(s.* ORDER BY s.id) FROM portfolio_allocation_sets s WHERE s.user_id = u.id) AS allocation_sets,
            (SELECT json_agg(r.* ORDER BY r.allocation_id) FROM portfolio_allocation_set_rows r JOIN portfolio_allocation_sets s ON s.id = r.set_id WHERE s.user_id = u.id) AS allocation_set_rows,
            (SELECT json_agg(m.* ORDER BY m.id) FROM user_memories m WHERE m.user_id = u.id) AS memories,
            (SELECT json_agg(t.* ORDER BY t.id) FROM api_tokens t WHERE t.user_id = u.id) AS api_tokens,
            (SELECT json_agg(ws.* ORDER BY ws.position, ws.symbol) FROM watchlist_symbols ws WHERE ws.user_id = u.id) AS watchlist
       FROM users u LEFT JOIN dnse_connections c ON c.user_id = u.id WHERE u.id = $1`,
    [p.id],
  );
  return rows[0] ?? null;
}

beforeAll(async () => {
  dnse = await startDnseStandIn();
  edge.dnseUrl = dnse.url;
  alice = await person("alice");
  bob = await person("bob");
  as(null);
});
afterAll(() => dnse.close());

/** When set, every request below carries `Authorization: Bearer <bearer>` (a script with a personal API token). */
let bearer: string | null = null;
const req = (path: string, method = "GET", body?: unknown) =>
  new Request(`http://localhost${path}`, {
    method,
    headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const noCtx = undefined as never;

/** The user-data route handlers that exist; `leaks` lists what of the other user must not appear. */
const ROUTES: { name: string; call: () => Promise<Response> }[] = [
  { name: "GET /api/account", call: () => getAccount(req("/api/account"), noCtx) },
  { name: "GET /api/broker", call: () => getBroker(req("/api/broker"), noCtx) },
  { name: "POST /api/broker/test", call: () => postBrokerTest(req("/api/broker/test", "POST"), noCtx) },
  { name: "GET /api/account/tokens", call: () => getApiTokens(req("/api/account/tokens"), noCtx) },
  { name: "GET /api/memories", call: () => memoriesRoute.GET(req("/api/memories"), noCtx) },
  { name: "GET /api/memories?query=", call: () => memoriesRoute.GET(req("/api/memories?query=finding%20HPG%20leads%20HSG&limit=100"), noCtx) },
  { name: "GET /api/portfolio/allocations", call: () => listAllocationSets(req("/api/portfolio/allocations"), noCtx) },
  { name: "GET /api/watchlist", call: () => watchlistRoute.GET(req("/api/watchlist"), noCtx) },
];

const ctx = <P,>(params: P) => ({ params: Promise.resolve(params) });
const wf = (p: Person) => `/api/workflows/${p.workflowId}`;

/** Routes that name a user's row: aimed at the other's ids they answer 404 (never 403), at mine 2xx. */
const OWNED_ROUTES: { name: string; ok: number; call: (target: Person) => Promise<Response> }[] = [
  { name: "POST /api/workflows/[id]/runs", ok: 202, call: (t) => postRun(req(`${wf(t)}/runs`, "POST"), ctx({ id: t.workflowId })) },
  { name: "GET /api/workflows/[id]/runs/[runId]", ok: 200, call: (t) => getRunRoute(req(`${wf(t)}/runs/${t.logId}`), ctx({ id: t.workflowId, runId: t.logId })) },
  { name: "GET /api/workflows/[id]/runs/[runId]/events", ok: 200, call: (t) => getRunEvents(req(`${wf(t)}/runs/${t.logId}/events`), ctx({ id: t.workflowId, runId: t.logId })) },
  { name: "GET /api/workflows/[id]/export", ok: 200, call: (t) => getExport(req(`${wf(t)}/export`), ctx({ id: t.workflowId })) },
  { name: "GET /api/memories/[id]", ok: 200, call: (t) => memoryRoute.GET(req(`/api/memories/${t.memoryId}`), ctx({ id: t.memoryId })) },
  {
    name: "PATCH /api/memories/[id]",
    ok: 200,
    call: (t) => memoryRoute.PATCH(req(`/api/memories/${t.memoryId}`, "PATCH", { memoryType: "analysis" }), ctx({ id: t.memoryId })),
  },
  { name: "GET /api/portfolio/allocations/[id]", ok: 200, call: (t) => getAllocationSet(req(`/api/portfolio/allocations/${t.allocationSetId}`), ctx({ id: t.allocationSetId })) },
];

/** The server actions that exist, each with input aimed at the other user where input can name anything. */
const ACTIONS: { name: string; run: (other: Person) => Promise<unknown> }[] = [
  { name: "saveBrokerAction", run: (o) => broker.saveBrokerAction({}, form({ clientId: `${o.clientId}x`, token: standInToken("ok-intruder"), userId: o.id })) },
  { name: "saveBrokerAction (the other's client id)", run: (o) => broker.saveBrokerAction({}, form({ clientId: o.clientId, token: standInToken("ok-intruder") })) },
  { name: "testBrokerAction", run: (o) => broker.testBrokerAction({}, form({ userId: o.id })) },
  { name: "disconnectBrokerAction", run: (o) => broker.disconnectBrokerAction({}, form({ userId: o.id })) },
  { name: "changePasswordAction (with the other's password)", run: (o) => account.changePasswordAction({}, form({ currentPassword: PASSWORD, newPassword: "taken over!!", confirmPassword: "taken over!!", userId: o.id })) },
  { name: "deleteAccountAction (with the other's password)", run: (o) => account.deleteAccountAction({}, form({ password: "wrong password", confirm: "DELETE", userId: o.id })) },
  { name: "createWorkflowAction", run: (o) => workflowActions.createWorkflowAction({}, form({ name: "Steel RSI", userId: o.id })) },
  { name: "renameWorkflowAction", run: (o) => workflowActions.renameWorkflowAction({}, form({ id: o.workflowId, name: "hijacked" })) },
  { name: "duplicateWorkflowAction", run: (o) => workflowActions.duplicateWorkflowAction({}, form({ id: o.workflowId })) },
  { name: "deleteWorkflowAction", run: (o) => workflowActions.deleteWorkflowAction({}, form({ id: o.workflowId })) },
  { name: "setWorkflowActiveAction", run: (o) => workflowActions.setWorkflowActiveAction({}, form({ id: o.workflowId, active: "false" })) },
  { name: "importWorkflowAction", run: (o) => workflowActions.importWorkflowAction({}, form({ json: JSON.stringify({ schemaVersion: 1, nodes: [], edges: [] }), name: "Steel RSI", userId: o.id })) },
  { name: "saveWorkflowGraph", run: (o) => workflowActions.saveWorkflowGraph({ id: o.workflowId, graph: { schemaVersion: 1, nodes: [], edges: [] } }) },
  { name: "createApiTokenAction", run: (o) => account.createApiTokenAction({}, form({ name: "intruder", userId: o.id })) },
  { name: "revokeApiTokenAction (the other's token)", run: (o) => account.revokeApiTokenAction({}, form({ tokenId: o.apiTokenId, userId: o.id })) },
];

/** The workflow actions that name a workflow: aimed at the other's, "Not found." (404). */
const WORKFLOW_ACTIONS_BY_ID: { name: string; run: (other: Person) => Promise<unknown> }[] = [
  { name: "renameWorkflowAction", run: (o) => workflowActions.renameWorkflowAction({}, form({ id: o.workflowId, name: "hijacked" })) },
  { name: "duplicateWorkflowAction", run: (o) => workflowActions.duplicateWorkflowAction({}, form({ id: o.workflowId })) },
  { name: "deleteWorkflowAction", run: (o) => workflowActions.deleteWorkflowAction({}, form({ id: o.workflowId })) },
  { name: "setWorkflowActiveAction", run: (o) => workflowActions.setWorkflowActiveAction({}, form({ id: o.workflowId, active: "false" })) },
  { name: "saveWorkflowGraph", run: (o) => workflowActions.saveWorkflowGraph({ id: o.workflowId, graph: { schemaVersion: 1, nodes: [], edges: [] } }) },
];

/** Waits for the runs a call started on my workflow to end, then removes them (later cases count logs). */
async function dropNewRuns(p: Person) {
  for (let i = 0; i < 100; i++) {
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM workflow_execution_logs WHERE workflow_id = $1 AND id <> $2 AND status IN ('pending', 'running')", [p.workflowId, p.logId]);
    if (rows[0].n === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await pool.query("DELETE FROM workflow_execution_logs WHERE workflow_id = $1 AND id <> $2", [p.workflowId, p.logId]);
}

describe("workflow routes and actions", () => {
  it.each(OWNED_ROUTES)("$name: 401 signed out; 404 (not 403) on the other's rows, which stay as they were; 2xx on mine", async ({ call, ok }) => {
    as(null);
    expect((await call(bob)).status).toBe(401);
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      as(me.id);
      const before = await snapshot(other);
      const res = await call(other);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "Not found." });
      expect(await snapshot(other)).toEqual(before);
      const mine = await call(me);
      expect(mine.status).toBe(ok);
      const text = await mine.text();
      for (const leak of [other.email, other.id, other.workflowId, other.allocationSetId]) expect(text).not.toContain(leak);
      await dropNewRuns(me);
    }
  });

  it.each(WORKFLOW_ACTIONS_BY_ID)("$name on the other's workflow answers Not found (404)", async ({ run }) => {
    as(alice.id);
    expect(await run(bob)).toMatchObject({ error: "Not found.", status: 404 });
  });
});

describe("saved allocations (issue 11)", () => {
  it("DELETE /api/portfolio/allocations/[id]: 401 signed out; the other's set is 404 and stays with its rows; mine is deleted with its rows", async () => {
    const aliceSet = await newAllocationSet(alice.id);
    const del = (id: string) => deleteAllocationSet(req(`/api/portfolio/allocations/${id}`, "DELETE"), ctx({ id }));
    as(null);
    expect((await del(aliceSet)).status).toBe(401);
    as(bob.id);
    const before = await snapshot(alice);
    const res = await del(aliceSet);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Not found." });
    expect(await snapshot(alice)).toEqual(before);
    as(alice.id);
    expect((await del(aliceSet)).status).toBe(204);
    const left = await pool.query("SELECT count(*)::int AS n FROM portfolio_allocation_sets WHERE id = $1", [aliceSet]);
    expect(left.rows[0].n).toBe(0);
    // Alice's other saved allocation (the one bob's GET was aimed at) is untouched.
    expect((await getAllocationSet(req("/x"), ctx({ id: alice.allocationSetId }))).status).toBe(200);
  });

  it("GET /api/portfolio/allocations lists my saved allocations only", async () => {
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      as(me.id);
      const { allocations } = (await (await listAllocationSets(req("/api/portfolio/allocations"), noCtx)).json()) as { allocations: { id: string }[] };
      expect(allocations.map((a) => a.id)).toContain(me.allocationSetId);
      expect(allocations.map((a) => a.id)).not.toContain(other.allocationSetId);
    }
  });
});

describe("the price board's watchlist (issue 13)", () => {
  const symbols = async (p: Person) => (await pool.query<{ symbol: string }>("SELECT symbol FROM watchlist_symbols WHERE user_id = $1 ORDER BY position", [p.id])).rows.map((r) => r.symbol);
  const add = (symbol: string) => watchlistRoute.POST(req("/api/watchlist", "POST", { symbol }), noCtx);
  const remove = (symbol: string) => watchlistSymbolRoute.DELETE(req(`/api/watchlist/${symbol}`, "DELETE"), ctx({ symbol }));
  const list = async () => ((await (await watchlistRoute.GET(req("/api/watchlist"), noCtx)).json()) as { symbols: { symbol: string }[] }).symbols.map((s) => s.symbol);

  beforeAll(async () => {
    await pool.query(
      `INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ('XUWA', 'Watched by Alice', 'stock', 'HOSE', 'Steel'), ('XUWB', 'Watched by Bob', 'stock', 'HNX', 'Banks')
       ON CONFLICT DO NOTHING`,
    );
    as(alice.id);
    expect((await add("XUWA")).status).toBe(201);
    as(bob.id);
    expect((await add("xuwb")).status).toBe(201);
  });

  it("signed out: listing, adding and removing answer 401 and change nothing", async () => {
    as(null);
    const before = [await snapshot(alice), await snapshot(bob)];
    expect((await watchlistRoute.GET(req("/api/watchlist"), noCtx)).status).toBe(401);
    expect((await add("XUWB")).status).toBe(401);
    expect((await remove("XUWA")).status).toBe(401);
    expect([await snapshot(alice), await snapshot(bob)]).toEqual(before);
  });

  it("each user lists only their own watchlist", async () => {
    as(alice.id);
    expect(await list()).toEqual(["XUWA"]);
    as(bob.id);
    expect(await list()).toEqual(["XUWB"]);
  });

  it("B cannot remove A's symbol (404, A's list unchanged); B's own add and remove touch B's list only", async () => {
    as(bob.id);
    const before = await snapshot(alice);
    const res = await remove("XUWA");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Not found." });
    expect(await snapshot(alice)).toEqual(before);
    expect((await add("XUWA")).status).toBe(201);
    expect(await symbols(bob)).toEqual(["XUWB", "XUWA"]);
    expect((await remove("XUWA")).status).toBe(200);
    expect(await snapshot(alice)).toEqual(before);
    expect(await symbols(alice)).toEqual(["XUWA"]);
  });
});

describe("signed out", () => {
  it.each(ROUTES)("$name answers 401 JSON", async ({ call }) => {
    as(null);
    const res = await call();
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Sign in first." });
  });

  it.each(ACTIONS)("$name stores nothing and says the session ended", async ({ run }) => {
    as(null);
    const before = [await snapshot(alice), await snapshot(bob)];
    expect(await run(bob)).toEqual({ error: "Your session has ended. Sign in again.", status: 401 });
    expect([await snapshot(alice), await snapshot(bob)]).toEqual(before);
  });

  it("a valid session of a deleted account counts as signed out", async () => {
    as("00000000-0000-4000-8000-000000000000");
    expect((await getAccount(req("/api/account"), noCtx)).status).toBe(401);
    as("not-a-uuid");
    expect((await getBroker(req("/api/broker"), noCtx)).status).toBe(401);
  });
});

describe.each([
  ["alice", () => alice, () => bob],
  ["bob", () => bob, () => alice],
] as const)("signed in as %s", (_name, me, other) => {
  it.each(ROUTES)("$name answers about me only: nothing of the other user, never a token", async ({ call }) => {
    as(me().id);
    const res = await call();
    const text = await res.text();
    expect(res.status).toBe(200);
    for (const leak of [other().email, other().clientId, other().token, other().id, me().token]) expect(text).not.toContain(leak);
  });

  it("GET /api/account and GET /api/broker name my email and my client id", async () => {
    as(me().id);
    const account = await (await getAccount(req("/api/account"), noCtx)).json();
    expect(account).toMatchObject({ email: me().email });
    // Every time a route answers is in Vietnam time.
    expect(account.createdAt).toMatch(/\+07:00$/);
    expect(await (await getBroker(req("/api/broker"), noCtx)).json()).toMatchObject({
      clientId: me().clientId,
      tokenStored: true,
      tokenLast4: me().token.slice(-4),
      // Times leave the API in Vietnam time (rule 6), like every other route's.
      tokenUpdatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+07:00$/),
    });
  });

  it("GET /api/account/tokens lists my tokens only, never a token itself", async () => {
    as(me().id);
    const { tokens } = (await (await getApiTokens(req("/api/account/tokens"), noCtx)).json()) as { tokens: { id: string }[] };
    expect(tokens.map((t) => t.id)).toContain(me().apiTokenId);
    expect(tokens.map((t) => t.id)).not.toContain(other().apiTokenId);
  });

  it("POST /api/broker/test calls DNSE with my token, never the other's", async () => {
    as(me().id);
    await postBrokerTest(req("/api/broker/test", "POST"), noCtx);
    expect(dnse.requests.at(-1)!.authorization).toBe(`Bearer ${me().token}`);
  });

  it.each(ACTIONS)("$name leaves the other user's rows exactly as they were", async ({ run }) => {
    as(me().id);
    const before = await snapshot(other());
    const mine = await snapshot(me());
    await run(other());
    expect(await snapshot(other())).toEqual(before);
    // A password change of my own ends my sessions (as it should): sign in afresh for the next case.
    delete edge.sids[me().id];
    // Put my own connection back for the next case (some actions change my row, as they should).
    if (JSON.stringify(await snapshot(me())) !== JSON.stringify(mine)) {
      await pool.query("UPDATE users SET dnse_client_id = $2, dnse_token = $3, password_hash = $4 WHERE id = $1", [
        me().id,
        mine.dnse_client_id,
        mine.dnse_token,
        mine.password_hash,
      ]);
      await pool.query(
        "INSERT INTO dnse_connections (user_id, token_updated_at) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET token_updated_at = $2",
        [me().id, mine.token_updated_at],
      );
    }
  });

  it("the other's client id is refused with a clear message, without storing anything", async () => {
    as(me().id);
    expect(await broker.saveBrokerAction({}, form({ clientId: other().clientId, token: standInToken("ok-intruder") }))).toMatchObject({
      error: expect.stringMatching(/^This client id cannot be used with this account\./),
    });
  });
});

/** lib/ownership: the queries behind the user-data pages of later issues; another user's row = not found. */
const OWNED: { name: string; id: (p: Person) => string; attempts: ((userId: string, id: string) => Promise<unknown>)[] }[] = [
  {
    name: "workflows",
    id: (p) => p.workflowId,
    attempts: [
      (u, id) => owned.getWorkflow(edge.db as never, u, id),
      (u, id) => owned.renameWorkflow(edge.db as never, u, id, "hijacked"),
      (u, id) => owned.deleteWorkflow(edge.db as never, u, id),
      (u, id) => owned.listExecutionLogs(edge.db as never, u, id),
    ],
  },
  {
    name: "workflow_execution_logs",
    id: (p) => p.logId,
    attempts: [(u, id) => owned.getExecutionLog(edge.db as never, u, id), (u, id) => owned.deleteExecutionLog(edge.db as never, u, id)],
  },
  {
    name: "portfolio_allocations",
    id: (p) => p.allocationId,
    attempts: [
      (u, id) => owned.getAllocation(edge.db as never, u, id),
      (u, id) => owned.updateAllocationPct(edge.db as never, u, id, 99),
      (u, id) => owned.deleteAllocation(edge.db as never, u, id),
    ],
  },
  {
    name: "user_memories",
    id: (p) => p.memoryId,
    attempts: [
      // Through the memory service, the only way the app reaches memories (lib/memory/memories.ts).
      (u, id) => memories.getMemory(appMemoryDeps(pool), u, id),
      (u, id) => memories.updateMemory(appMemoryDeps(pool), u, id, { content: "hijacked", memoryType: "preference", company: "HPG" }),
      (u, id) => memories.deleteMemory(appMemoryDeps(pool), u, id),
    ],
  },
];

describe("memories (/api/memories)", () => {
  it("POST stores for the caller only, whatever the body names; DELETE of the other's memory is 404 and leaves it; of mine, 200", async () => {
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      as(me.id);
      const before = await snapshot(other);
      const made = await memoriesRoute.POST(req("/api/memories", "POST", { content: "mine", memoryType: "analysis", userId: other.id, user_id: other.id }), noCtx);
      expect(made.status).toBe(201);
      const { memory } = await made.json();
      expect((await pool.query("SELECT user_id FROM user_memories WHERE id = $1", [memory.id])).rows[0].user_id).toBe(me.id);
      const gone = await memoryRoute.DELETE(req(`/api/memories/${other.memoryId}`, "DELETE"), ctx({ id: other.memoryId }));
      expect(gone.status).toBe(404);
      expect(await gone.json()).toEqual({ error: "Not found." });
      expect(await snapshot(other)).toEqual(before);
      expect((await memoryRoute.DELETE(req(`/api/memories/${memory.id}`, "DELETE"), ctx({ id: memory.id }))).status).toBe(200);
    }
    as(null);
    expect((await memoryRoute.DELETE(req(`/api/memories/${alice.memoryId}`, "DELETE"), ctx({ id: alice.memoryId }))).status).toBe(401);
  });

  it("lists and searches find my memories, never the other's", async () => {
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      as(me.id);
      for (const path of ["/api/memories?limit=100", `/api/memories?query=${encodeURIComponent(`${other.email} finding HPG leads HSG`)}&limit=100`]) {
        const { memories } = (await (await memoriesRoute.GET(req(path), noCtx)).json()) as { memories: { id: string }[] };
        expect(memories.map((m) => m.id)).toContain(me.memoryId);
        expect(memories.map((m) => m.id)).not.toContain(other.memoryId);
      }
    }
    as(null);
  });
});

describe("the shared value chain, by id (/api/value-chain/nodes|edges/<id>)", () => {
  // Not user data: no node or edge belongs to a user, so another user's id is not a 404. Every signed-in
  // user reads the chain; only the role that may write shared data changes it (issue 9, item 2).
  it("an analyst reads a node's links and an edge's analyses, and can change none of them; signed out, nothing", async () => {
    const { createNode, createEdge } = await import("@/lib/valuechain/edit");
    const tag = alice.id.slice(0, 8);
    const source = await createNode(edge.db as never, alice.id, { name: `Cross-user source ${tag}`, sector: "Commodities", nodeType: "Upstream" });
    const target = await createNode(edge.db as never, alice.id, { name: `Cross-user target ${tag}`, sector: "Steel", nodeType: "Midstream" });
    const link = await createEdge(edge.db as never, alice.id, { sourceId: source.id, targetId: target.id, relationship: "supplies", correlationCoeff: 0.4 });
    const rows = async () =>
      (await pool.query("SELECT n.name, n.sector, e.correlation_coeff FROM value_chain_nodes n LEFT JOIN value_chain_edges e ON e.source_id = n.id WHERE n.id = ANY($1) ORDER BY n.name", [[source.id, target.id]])).rows;
    const before = await rows();
    await pool.query("INSERT INTO user_roles (user_id, role) VALUES ($1, 'analyst') ON CONFLICT (user_id) DO UPDATE SET role = 'analyst'", [bob.id]);

    const calls = {
      patchNode: () => vcNode.PATCH(req(`/api/value-chain/nodes/${source.id}`, "PATCH", { name: "Renamed" }), ctx({ id: source.id })),
      deleteNode: () => vcNode.DELETE(req(`/api/value-chain/nodes/${source.id}`, "DELETE"), ctx({ id: source.id })),
      patchEdge: () => vcEdge.PATCH(req(`/api/value-chain/edges/${link.id}`, "PATCH", { correlationCoeff: -0.9 }), ctx({ id: link.id })),
      deleteEdge: () => vcEdge.DELETE(req(`/api/value-chain/edges/${link.id}`, "DELETE"), ctx({ id: link.id })),
      recompute: () => vcAnalysis.POST(req(`/api/value-chain/edges/${link.id}/analysis`, "POST", {}), ctx({ id: link.id })),
    };
    const history = () => vcAnalyses.GET(req(`/api/value-chain/edges/${link.id}/analyses`), ctx({ id: link.id }));

    as(bob.id);
    for (const [name, call] of Object.entries(calls)) expect((await call()).status, name).toBe(403);
    expect((await history()).status).toBe(200);
    as(null);
    for (const [name, call] of Object.entries(calls)) expect((await call()).status, name).toBe(401);
    expect((await history()).status).toBe(401);
    expect(await rows()).toEqual(before);
  });
});

describe("backfill jobs", () => {
  it("GET /api/market/backfill/<jobId>: the other user's job is not found (404), mine is reported", async () => {
    await pool.query("INSERT INTO market_symbols (symbol, name, kind, exchange) VALUES ('XUSR', 'Cross-user test', 'stock', 'HOSE') ON CONFLICT DO NOTHING");
    // Started through lib/ (the route wants an admin; whose job it is, not the role, is under test here).
    // Queued only (no runner here): the status is read from PostgreSQL, queued or not.
    const { jobId } = await startBackfill(pool, alice.id, { symbol: "XUSR", resolution: "D", from: new Date("2025-03-01"), to: new Date("2025-03-05") }, { maxQueued: 10 });
    const status = () => getBackfillJob(req(`/api/market/backfill/${jobId}`), ctx({ jobId }));
    as(bob.id);
    expect((await status()).status).toBe(404);
    as(alice.id);
    expect((await status()).status).toBe(200);
    as(null);
    expect((await status()).status).toBe(401);
  });
});

describe("account management (admins only)", () => {
  it("refuses an analyst every users action, changing nothing; signed out, likewise", async () => {
    const carol = await signUp(edge.db as never, { email: uniqueEmail("carol"), password: PASSWORD, confirmPassword: PASSWORD });
    if (!carol.ok) throw new Error("sign-up failed");
    // Whoever signed up first in this run's shared database is its admin; Carol is made an analyst here.
    await pool.query("INSERT INTO user_roles (user_id, role) VALUES ($1, 'analyst') ON CONFLICT (user_id) DO UPDATE SET role = 'analyst'", [carol.user.id]);
    const roles = async () => (await pool.query("SELECT user_id, role FROM user_roles ORDER BY user_id")).rows;
    const invitations = async () => (await pool.query("SELECT count(*)::int AS n FROM signup_invitations")).rows[0].n as number;
    const [rolesBefore, invitationsBefore] = [await roles(), await invitations()];
    const carolSession = await sessions.createSession(edge.db as never, carol.user.id, 3600);
    const aliceSession = await sessions.createSession(edge.db as never, alice.id, 3600);
    for (const who of [carol.user.id, null]) {
      as(who);
      expect(await usersAdmin.endSessionsAction({}, form({ userId: alice.id }))).toMatchObject({ error: expect.any(String) });
      expect(await usersAdmin.endSessionsAction({}, form({ userId: carol.user.id }))).toMatchObject({ error: expect.any(String) });
      expect(await usersAdmin.setRoleAction({}, form({ userId: carol.user.id, role: "admin" }))).toMatchObject({ error: expect.any(String) });
      expect(await usersAdmin.setRoleAction({}, form({ userId: alice.id, role: "analyst" }))).toMatchObject({ error: expect.any(String) });
      expect(await usersAdmin.createInvitationAction({}, form({ email: "", role: "admin" }))).toMatchObject({ error: expect.any(String) });
      expect(await usersAdmin.revokeInvitationAction({}, form({ invitationId: "00000000-0000-4000-8000-000000000000" }))).toMatchObject({ error: expect.any(String) });
    }
    expect(await roles()).toEqual(rolesBefore);
    expect(await invitations()).toBe(invitationsBefore);
    expect(await sessions.sessionIsLive(edge.db as never, aliceSession, alice.id)).toBe(true);
    expect(await sessions.sessionIsLive(edge.db as never, carolSession, carol.user.id)).toBe(true);
    as(null);
  });
});

describe("personal API tokens (Authorization: Bearer)", () => {
  const withBearer = async <T,>(token: string, fn: () => Promise<T>): Promise<T> => {
    bearer = token;
    try {
      return await fn();
    } finally {
      bearer = null;
    }
  };

  it("a token is its own user, whoever the cookie names, and never reaches the other's rows", async () => {
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      // The cookie says the other user: a request that names a token is served as the token's user only.
      as(other.id);
      await withBearer(me.apiToken, async () => {
        expect(await (await getAccount(req("/api/account"), noCtx)).json()).toMatchObject({ email: me.email });
        for (const { call, ok } of OWNED_ROUTES) {
          const before = await snapshot(other);
          expect((await call(other)).status).toBe(404);
          expect(await snapshot(other)).toEqual(before);
          expect((await call(me)).status).toBe(ok);
          await dropNewRuns(me);
        }
      });
    }
    as(null);
  });

  it("a revoked, unknown or malformed token answers 401 with the reason, even beside a valid cookie", async () => {
    const made = await apiTokens.createApiToken(edge.db as never, alice.id, "to revoke");
    if (!made.ok) throw new Error("token not made");
    as(alice.id);
    expect((await withBearer(made.token, () => getAccount(req("/api/account"), noCtx))).status).toBe(200);
    // Bob cannot revoke it; Alice can.
    as(bob.id);
    expect(await account.revokeApiTokenAction({}, form({ tokenId: made.apiToken.id }))).toEqual({ error: "Not found.", status: 404 });
    expect((await withBearer(made.token, () => getAccount(req("/api/account"), noCtx))).status).toBe(200);
    as(alice.id);
    expect(await account.revokeApiTokenAction({}, form({ tokenId: made.apiToken.id }))).toMatchObject({ ok: true });
    for (const token of [made.token, `qf_${"A".repeat(43)}`, "", "not-a-token", bob.apiToken.toUpperCase()]) {
      const res = await withBearer(token, () => getAccount(req("/api/account"), noCtx));
      expect(res.status, token).toBe(401);
      expect((await res.json()).error).toMatch(/API token is not valid/);
      for (const { call } of OWNED_ROUTES) expect((await withBearer(token, () => call(alice))).status).toBe(401);
    }
    as(null);
  });

  it("a token carries its user's role: an admin's may import shared data, an analyst's may not", async () => {
    const importWith = (token: string) => withBearer(token, () => postImport(req("/api/candles/import", "POST"), noCtx));
    await pool.query("INSERT INTO user_roles (user_id, role) VALUES ($1, 'analyst') ON CONFLICT (user_id) DO UPDATE SET role = 'analyst'", [bob.id]);
    expect((await importWith(bob.apiToken)).status).toBe(403);
    await pool.query("UPDATE user_roles SET role = 'admin' WHERE user_id = $1", [bob.id]);
    try {
      // Past the role check: the empty body is then refused as input, not as a role.
      expect((await importWith(bob.apiToken)).status).toBe(400);
    } finally {
      await pool.query("UPDATE user_roles SET role = 'analyst' WHERE user_id = $1", [bob.id]);
    }
  });
});

describe("sessions", () => {
  it("an ended session counts as signed out at once: routes 401, actions change nothing", async () => {
    const dave = await person("dave");
    as(dave.id);
    expect((await getAccount(req("/api/account"), noCtx)).status).toBe(200);
    await sessions.endUserSessions(edge.db as never, dave.id);
    expect((await getAccount(req("/api/account"), noCtx)).status).toBe(401);
    const before = await snapshot(dave);
    expect(await account.changePasswordAction({}, form({ currentPassword: PASSWORD, newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase" }))).toEqual({
      error: "Your session has ended. Sign in again.",
      status: 401,
    });
    expect(await snapshot(dave)).toEqual(before);
    as(null);
  });

  it("changing the password ends every session of the user, this one too, and names the email to sign in again with", async () => {
    const erin = await person("erin");
    as(erin.id);
    const laptop = await sessions.createSession(edge.db as never, erin.id, 3600);
    const result = await account.changePasswordAction({}, form({ currentPassword: PASSWORD, newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase" }));
    expect(result).toMatchObject({ ok: true, data: { email: erin.email } });
    expect(await sessions.sessionIsLive(edge.db as never, laptop, erin.id)).toBe(false);
    expect((await getAccount(req("/api/account"), noCtx)).status).toBe(401);
    as(null);
  });
});

describe("sign-up", () => {
  it("answers a taken email exactly like a new one, and creates nothing for it", async () => {
    const password = "a long and private phrase";
    const fresh = uniqueEmail("fresh");
    const answerNew = await signUpActions.createAccount({}, form({ email: fresh, password, confirmPassword: password }));
    const count = async () => (await pool.query("SELECT count(*)::int AS n FROM users WHERE lower(email) = lower($1)", [alice.email])).rows[0].n as number;
    const before = await count();
    const answerTaken = await signUpActions.createAccount({}, form({ email: alice.email, password, confirmPassword: password }));
    expect(answerNew).toEqual({ ok: true, data: { email: fresh } });
    expect(answerTaken).toEqual({ ok: true, data: { email: alice.email } });
    expect(await count()).toBe(before);
  });

  it("refuses a common password and one containing the e-mail, on the password field", async () => {
    const email = uniqueEmail("weakling");
    for (const password of ["password1234", `${email.split("@")[0]}!!`]) {
      const answer = await signUpActions.createAccount({}, form({ email, password, confirmPassword: password }));
      expect(answer).toMatchObject({ error: "Check the highlighted fields.", fieldErrors: { password: expect.any(String) } });
    }
  });
});

describe("lib/ownership", () => {
  it.each(OWNED)("$name: another user's row is not found for every read, change and delete, and stays as it was", async ({ id, attempts }) => {
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const before = await snapshot(other);
      for (const attempt of attempts) {
        const result = await attempt(me.id, id(other));
        expect(result === null || result === false).toBe(true);
      }
      expect(await snapshot(other)).toEqual(before);
    }
  });

  it("lists only the user's own rows, and the owner reaches each of them", async () => {
    const db = edge.db as never;
    expect((await owned.listWorkflows(db, alice.id)).map((w) => w.id)).toEqual([alice.workflowId]);
    expect((await owned.listAllocations(db, alice.id)).map((a) => a.id)).toEqual([alice.allocationId]);
    expect((await memories.findMemories(appMemoryDeps(pool), bob.id, { limit: 100 })).memories.map((m) => m.id)).toEqual([bob.memoryId]);
    expect((await owned.listExecutionLogs(db, bob.id, bob.workflowId))!.map((l) => l.id)).toEqual([bob.logId]);
    expect(await owned.getExecutionLog(db, bob.id, bob.logId)).toMatchObject({ id: bob.logId });
    expect(await owned.updateAllocationPct(db, alice.id, alice.allocationId, 55)).toMatchObject({ allocationPct: 55 });
  });

  it("treats an id that is not a uuid as not found (no database error)", () => {
    expect(owned.parseId("../../etc")).toBeNull();
    expect(owned.parseId(alice.workflowId)).toBe(alice.workflowId);
  });
});

describe("deleting an account", () => {
  it("removes only that account and its rows", async () => {
    const carol = await person("carol");
    as(carol.id);
    const bobBefore = await snapshot(bob);
    expect(await account.deleteAccountAction({}, form({ password: PASSWORD, confirm: "DELETE" }))).toMatchObject({ ok: true });
    expect(await snapshot(carol)).toBeNull();
    for (const [table, id] of [
      ["workflows", carol.workflowId],
      ["workflow_execution_logs", carol.logId],
      ["portfolio_allocations", carol.allocationId],
      ["user_memories", carol.memoryId],
    ]) {
      expect((await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE id = $1`, [id])).rows[0].n, table).toBe(0);
    }
    expect((await pool.query("SELECT count(*)::int AS n FROM dnse_connections WHERE user_id = $1", [carol.id])).rows[0].n).toBe(0);
    expect(await snapshot(bob)).toEqual(bobBefore);
    // Its session is now signed out everywhere.
    expect((await getAccount(req("/api/account"), noCtx)).status).toBe(401);
  });
});

describe("notifications and channels (issue 15)", () => {
  const routes = {
    list: () => import("@/app/api/notifications/route"),
    read: () => import("@/app/api/notifications/read/route"),
    channels: () => import("@/app/api/notification-channels/route"),
    channel: () => import("@/app/api/notification-channels/[id]/route"),
    test: () => import("@/app/api/notification-channels/[id]/test/route"),
  };
  /** A notification and a webhook channel (its secret encrypted with the test's key) of each person. */
  const rows = new Map<string, { notificationId: string; channelId: string }>();
  const mine = async (p: Person) => {
    if (!rows.has(p.id)) {
      const n = await pool.query<{ id: string }>("INSERT INTO notifications (user_id, workflow_id, run_id, title, symbols) VALUES ($1, $2, $3, $4, '[]') RETURNING id", [p.id, p.workflowId, p.logId, `${p.email}'s golden cross`]);
      const c = await pool.query<{ id: string }>(
        "INSERT INTO notification_channels (user_id, kind, name, target, secret) VALUES ($1, 'webhook', 'Desk', $2, $3) RETURNING id",
        [p.id, `https://127.0.0.1:9/${p.id}`, (edge.cipher as MultiFernet).encrypt(`secret-of-${p.id}`)],
      );
      rows.set(p.id, { notificationId: n.rows[0]!.id, channelId: c.rows[0]!.id });
    }
    return rows.get(p.id)!;
  };
  const state = async (p: Person) =>
    (await pool.query("SELECT (SELECT json_agg(n.* ORDER BY n.id) FROM notifications n WHERE n.user_id = $1) AS n, (SELECT json_agg(c.* ORDER BY c.id) FROM notification_channels c WHERE c.user_id = $1) AS c", [p.id])).rows[0];

  it("every route answers 401 signed out and stores nothing", async () => {
    const { channelId } = await mine(alice);
    as(null);
    const before = await state(alice);
    const calls = [
      (await routes.list()).GET(req("/api/notifications"), noCtx),
      (await routes.read()).POST(req("/api/notifications/read", "POST", { all: true }), noCtx),
      (await routes.channels()).GET(req("/api/notification-channels"), noCtx),
      (await routes.channels()).POST(req("/api/notification-channels", "POST", { kind: "webhook", name: "x", url: "https://93.184.215.14/x" }), noCtx),
      (await routes.channel()).DELETE(req(`/api/notification-channels/${channelId}`, "DELETE"), ctx({ id: channelId })),
      (await routes.test()).POST(req(`/api/notification-channels/${channelId}/test`, "POST"), ctx({ id: channelId })),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBe(401);
    expect(await state(alice)).toEqual(before);
  });

  it("lists only my notifications and channels, never a secret", async () => {
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      await mine(me);
      const theirs = await mine(other);
      as(me.id);
      const list = await (await (await routes.list()).GET(req("/api/notifications"), noCtx)).text();
      const channels = await (await (await routes.channels()).GET(req("/api/notification-channels"), noCtx)).text();
      expect(list).toContain(rows.get(me.id)!.notificationId);
      expect(channels).toContain(rows.get(me.id)!.channelId);
      for (const leak of [theirs.notificationId, theirs.channelId, other.id, other.email, other.workflowId]) {
        expect(list).not.toContain(leak);
        expect(channels).not.toContain(leak);
      }
      expect(channels).not.toContain("secret-of-");
    }
  });

  it("marking read, deleting and testing another user's rows changes nothing of theirs (404 on the channel routes)", async () => {
    const theirs = await mine(bob);
    await mine(alice);
    as(alice.id);
    const before = await state(bob);
    const read = await (await routes.read()).POST(req("/api/notifications/read", "POST", { ids: [theirs.notificationId] }), noCtx);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ marked: 0 });
    await (await routes.read()).POST(req("/api/notifications/read", "POST", { all: true }), noCtx);
    const del = await (await routes.channel()).DELETE(req(`/api/notification-channels/${theirs.channelId}`, "DELETE"), ctx({ id: theirs.channelId }));
    expect(del.status).toBe(404);
    expect(await del.json()).toEqual({ error: "Not found." });
    const test = await (await routes.test()).POST(req(`/api/notification-channels/${theirs.channelId}/test`, "POST"), ctx({ id: theirs.channelId }));
    expect(test.status).toBe(404);
    expect(await state(bob)).toEqual(before);
    // A channel made while naming the other user is mine.
    const made = await (await routes.channels()).POST(req("/api/notification-channels", "POST", { kind: "webhook", name: "Mine", url: "https://93.184.215.14/x", userId: bob.id }), noCtx);
    expect(made.status).toBe(201);
    const { channel, signingSecret } = (await made.json()) as { channel: { id: string }; signingSecret: string };
    expect(signingSecret).toMatch(/^qfwh_/);
    expect((await pool.query("SELECT user_id FROM notification_channels WHERE id = $1", [channel.id])).rows[0].user_id).toBe(alice.id);
    expect(await state(bob)).toEqual(before);
    // Mine: deleted (204-free JSON answer), then gone.
    expect((await (await routes.channel()).DELETE(req(`/api/notification-channels/${channel.id}`, "DELETE"), ctx({ id: channel.id }))).status).toBe(200);
  });

  it("deleting an account deletes its notifications and channels", async () => {
    const dave = await person("dave");
    await mine(dave);
    as(dave.id);
    expect(await account.deleteAccountAction({}, form({ password: PASSWORD, confirm: "DELETE" }))).toMatchObject({ ok: true });
    expect(await state(dave)).toEqual({ n: null, c: null });
  });
});
