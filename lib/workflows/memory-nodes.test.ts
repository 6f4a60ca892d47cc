/**
 * The memory nodes in recorded runs on a real PostgreSQL database (the PostgreSQL memory store and the
 * local lexical embedder): Save finding stores the finding for the workflow's owner with its company
 * and a link to the run, Recall memories finds it (diacritics ignored) and never another user's, the
 * AI analyst talks to a local chat-completions stand-in, and bad input stores nothing.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { parseEnv } from "@/lib/env";
import { findSymbol } from "@/lib/market/symbols";
import { lexicalEmbedder } from "@/lib/memory/lexical-embedder";
import { findMemories, type MemoryDeps } from "@/lib/memory/memories";
import { openAiChat } from "@/lib/memory/openai-chat";
import { PostgresMemoryStore } from "@/lib/memory/postgres-store";
import { startChatStandIn, type ChatStandIn } from "@/test/chat-stand-in";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { unavailableNodes } from "./availability";
import { GRAPH_SCHEMA_VERSION, type WorkflowGraph } from "./graph";
import { memoryServicesFor } from "./memory-services";
import { CHAT_UNAVAILABLE, saveFindingNode } from "./nodes/memory";
import { testContext } from "./nodes/test-context";
import { getRun, startRun, type StartRunOptions } from "./run";
import { createWorkflow } from "./store";

const scratch = scratchDatabaseForFile("memory_nodes");
const db = () => drizzle(scratch.pool, { schema });
let alice = "";
let bob = "";
let deps: MemoryDeps;
let chat: ChatStandIn;

beforeAll(async () => {
  const pool = scratch.pool;
  const user = async (email: string) => (await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id", [email])).rows[0]!.id;
  alice = await user("alice@example.com");
  bob = await user("bob@example.com");
  await pool.query(`INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel'), ('HSG', 'Hoa Sen Group', 'stock', 'HOSE', 'Steel')`);
  deps = { store: new PostgresMemoryStore(pool), embedder: lexicalEmbedder(), isSymbol: async (s) => (await findSymbol(pool, s)) !== undefined };
  chat = await startChatStandIn();
});
afterAll(() => chat?.close());

const node = (id: string, type: string, params: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, data: { params } });
const graph = (nodes: ReturnType<typeof node>[], edges: { id: string; source: string; target: string; sourceHandle?: string; targetHandle?: string }[] = []): WorkflowGraph => ({
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes,
  edges,
});

async function run(userId: string, name: string, g: WorkflowGraph, options: StartRunOptions = {}) {
  const w = await createWorkflow(db(), userId, name, g);
  if (!w.ok) throw new Error(w.error);
  const started = (await startRun(db(), scratch.pool, userId, w.value.id, { memoryDeps: () => deps, chat: null, ...options }))!;
  const result = await started.finished;
  const row = (await getRun(db(), userId, w.value.id, started.runId))!;
  const nodes = (row.result as { nodes: Record<string, { status: string; error?: string; output?: Record<string, unknown> }> }).nodes;
  return { workflowId: w.value.id, runId: started.runId, result, nodes };
}

const FINDING = "Hòa Phát: tồn kho cao khi giá thép giảm (inventory risk)";

describe("Save finding and Recall memories", () => {
  it("saves the finding for the owner, with the company and a link to the run; recall finds it without diacritics, never for another user", async () => {
    const saved = await run(alice, "Steel audit", graph([node("s", "memory.save", { note: FINDING, memoryType: "audit_finding", company: "hpg" })]));
    expect(saved.result.status).toBe("success");
    const { memories } = await findMemories(deps, alice, { company: "HPG" });
    expect(memories).toHaveLength(1);
    expect(memories[0]).toMatchObject({ memoryType: "audit_finding", company: "HPG" });
    expect(memories[0]!.content).toContain(FINDING);
    expect(memories[0]!.content).toContain(`/workflows/${saved.workflowId}/runs/${saved.runId}`);
    expect(saved.nodes.s!.output!.saved).toEqual([{ id: memories[0]!.id, type: "audit_finding", company: "HPG" }]);

    const recalled = await run(alice, "Recall steel", graph([node("r", "memory.recall", { query: "Hoa Phat ton kho", limit: 3 })]));
    const rows = recalled.nodes.r!.output!.memories as { id: string; similarity: number; company: string }[];
    expect(rows[0]).toMatchObject({ id: memories[0]!.id, company: "HPG" });
    expect(rows[0]!.similarity).toBeGreaterThan(0.2);

    // Bob's run with the same recall finds nothing of Alice's; his memories stay empty.
    const his = await run(bob, "Recall steel", graph([node("r", "memory.recall", { query: "Hoa Phat ton kho", limit: 3 })]));
    expect(his.result.status).toBe("success");
    expect(his.nodes.r!.output!.memories).toEqual([]);
    expect((await findMemories(deps, bob, {})).memories).toEqual([]);
  });

  it("recall filters by type and company and reports its query and embedder", async () => {
    const r = await run(alice, "Recall prefs", graph([node("r", "memory.recall", { query: "Hoa Phat", type: "preference", limit: 5 })]));
    expect(r.nodes.r!.output!.memories).toEqual([]);
    expect(r.nodes.r!.output!.info).toMatchObject({ query: "Hoa Phat", embedder: "lexical (quantflow-lexical-v1)", type: "preference" });
    const none = await run(alice, "Recall nothing", graph([node("r", "memory.recall", {})]));
    expect(none.nodes.r).toMatchObject({ status: "failed", error: "nothing to recall by: write a query or connect symbols" });
  });

  it("a company that is not a symbol fails the node and stores nothing", async () => {
    const before = (await findMemories(deps, alice, { limit: 100 })).memories.length;
    const r = await run(alice, "Bad company", graph([node("s", "memory.save", { note: "x", company: "ZZZ" })]));
    expect(r.result.status).toBe("failed");
    expect(r.nodes.s!.error).toMatch(/Unknown symbol ZZZ/);
    expect((await findMemories(deps, alice, { limit: 100 })).memories).toHaveLength(before);
  });

  it("saves nothing when the connected alert did not fire", async () => {
    const memory = memoryServicesFor(() => deps, alice);
    const before = (await findMemories(deps, alice, { limit: 100 })).memories.length;
    const params = saveFindingNode.params.parse({ note: "RSI oversold" });
    const out = await saveFindingNode.execute({ alert: null }, params, testContext({}, { memory }));
    expect(out).toMatchObject({ saved: [], info: { saved: false } });
    expect((await findMemories(deps, alice, { limit: 100 })).memories).toHaveLength(before);
  });
});

describe("AI analyst", () => {
  const analystGraph = (save: boolean) =>
    graph(
      [node("r", "memory.recall", { query: "Hoa Phat", limit: 3 }), node("a", "memory.analyst", { instruction: "What now for HPG?", save, company: "HPG" })],
      [{ id: "e1", source: "r", target: "a", targetHandle: "memories" }],
    );

  it("sends the instruction and the recalled memories to the chat endpoint, returns its analysis and may save it", async () => {
    chat.requests.length = 0;
    const r = await run(alice, "Analyst", analystGraph(true), { chat: openAiChat({ baseUrl: chat.url, apiKey: "sk-test", model: "standin-chat" }) });
    expect(r.result.status).toBe("success");
    expect(chat.requests).toHaveLength(1);
    const { body, authorization } = chat.requests[0]!;
    expect(authorization).toBe("Bearer sk-test");
    expect(body.model).toBe("standin-chat");
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(body.messages[1]!.content).toContain("What now for HPG?");
    expect(body.messages[1]!.content).toContain(FINDING);
    const [analysis] = r.nodes.a!.output!.analysis as { analysis: string; model: string; savedId: string }[];
    expect(analysis).toMatchObject({ analysis: "HPG: inventory risk persists while steel prices fall.", model: "standin-chat" });
    const { memories } = await findMemories(deps, alice, { type: "analysis", company: "HPG" });
    expect(memories.map((m) => m.id)).toContain(analysis!.savedId);
    expect(memories.find((m) => m.id === analysis!.savedId)!.content).toContain(`/runs/${r.runId}`);
  });

  it("an endpoint that keeps failing fails the node with its reason and saves nothing", async () => {
    const before = (await findMemories(deps, alice, { limit: 100 })).memories.length;
    chat.script.push({ status: 500 }, { status: 503 });
    const r = await run(alice, "Analyst down", analystGraph(true), { chat: openAiChat({ baseUrl: chat.url, model: "standin-chat" }) });
    expect(r.nodes.a).toMatchObject({ status: "failed", error: expect.stringMatching(/chat endpoint \(127\.0\.0\.1:\d+\) answered 503/) });
    expect((await findMemories(deps, alice, { limit: 100 })).memories).toHaveLength(before);
  });

  it("without an endpoint the node fails saying why, and the palette lists it as unavailable with that reason", async () => {
    const r = await run(alice, "Analyst off", analystGraph(false), { chat: null });
    expect(r.nodes.a).toMatchObject({ status: "failed", error: CHAT_UNAVAILABLE });
    expect(unavailableNodes(parseEnv({}))).toEqual({ "memory.analyst": CHAT_UNAVAILABLE });
    expect(unavailableNodes(parseEnv({ OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }))).toEqual({ "memory.analyst": CHAT_UNAVAILABLE });
    expect(unavailableNodes(parseEnv({ OPENAI_BASE_URL: "http://127.0.0.1:9/v1", QUANTFLOW_CHAT_MODEL: "llama3" }))).toEqual({});
  });
});
