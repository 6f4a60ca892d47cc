/**
 * A user's workflows as the list page and the builder change them: create, rename, duplicate, delete,
 * activate, import/export, save a graph. Every write of a graph goes through checkGraph (and the symbols
 * it names must exist in market_symbols): on any problem nothing is stored and each problem is returned.
 * Every query takes the owner's id (lib/ownership's rule): another user's workflow is "not found".
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/database";
import { marketSymbols, workflowExecutionLogs, workflows, type Workflow } from "@/db/schema";
import { deleteWorkflow, getWorkflow, listWorkflows } from "@/lib/ownership/owned";
import { nextRuns } from "./cron";
import { checkGraph, GRAPH_LIMITS, GRAPH_SCHEMA_VERSION, nodeName, parseGraphJson, type GraphProblem, type WorkflowGraph } from "./graph";
import { arrangeWorkflowGraph, fillMissingPositions, hasOverlappingNodes } from "./layout";
import { defaultRegistry, type NodeRegistry } from "./registry";
import { checkJsonValue, plainText } from "@/lib/text";

export const workflowNameSchema = plainText("The name", { error: "Give the workflow a name." })
  .trim()
  .min(1, "Give the workflow a name.")
  .max(255, "A name has at most 255 characters.");

export type StoreResult<T> = { ok: true; value: T } | { ok: false; error: string; problems?: GraphProblem[]; notFound?: true };

const NOT_FOUND = { ok: false, error: "Not found.", notFound: true } as const;

/** A new workflow: an empty canvas (the builder's palette adds the nodes). */
export function emptyGraph(): WorkflowGraph {
  return { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [], edges: [] };
}

const nameTaken = (name: string) => `You already have a workflow named "${name}".`;

function isUniqueViolation(e: unknown): boolean {
  for (let err = e as { code?: string; cause?: unknown } | undefined, depth = 0; err && depth < 4; err = err.cause as typeof err, depth++) {
    if (err.code === "23505") return true;
  }
  return false;
}

/** checkGraph, then the symbols the data nodes name must exist: the full check of a graph before a write. */
export async function checkGraphForSave(db: Database, raw: unknown, registry: NodeRegistry = defaultRegistry): Promise<{ graph?: WorkflowGraph; problems: GraphProblem[] }> {
  const checked = checkGraph(raw, registry);
  if (!checked.graph) return checked;
  const named = new Map<string, string[]>(); // symbol → node ids
  for (const node of checked.graph.nodes) {
    const symbols = (node.data.params as { symbols?: unknown }).symbols;
    if (!Array.isArray(symbols)) continue;
    for (const s of symbols) if (typeof s === "string") named.set(s, [...(named.get(s) ?? []), node.id]);
  }
  if (named.size === 0) return checked;
  const rows = await db.select({ symbol: marketSymbols.symbol }).from(marketSymbols).where(inArray(marketSymbols.symbol, [...named.keys()]));
  const known = new Set(rows.map((r) => r.symbol));
  const problems: GraphProblem[] = [];
  const nodes = new Map(checked.graph.nodes.map((n) => [n.id, n]));
  for (const [symbol, nodeIds] of named) {
    if (known.has(symbol)) continue;
    for (const nodeId of nodeIds) {
      const node = nodes.get(nodeId)!;
      problems.push({ code: "bad-params", nodeId, message: `${nodeName(node, registry.get(node.type)?.label)}: the symbol ${symbol} does not exist` });
    }
  }
  return problems.length ? { problems } : checked;
}

function refused(problems: GraphProblem[]): StoreResult<never> {
  return { ok: false, error: `The graph was not saved: ${problems.map((p) => p.message).join("; ")}`, problems };
}

async function insertWorkflow(db: Database, userId: string, name: string, graph: WorkflowGraph, isActive = false): Promise<StoreResult<Workflow>> {
  try {
    const [row] = await db.insert(workflows).values({ userId, name, jsonGraph: graph, isActive }).returning();
    return { ok: true, value: row! };
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, error: nameTaken(name) };
    throw e;
  }
}

export async function createWorkflow(db: Database, userId: string, name: string, rawGraph: unknown = emptyGraph(), registry: NodeRegistry = defaultRegistry): Promise<StoreResult<Workflow>> {
  const { graph, problems } = await checkGraphForSave(db, rawGraph, registry);
  if (!graph) return refused(problems);
  return insertWorkflow(db, userId, name, graph);
}

export async function renameWorkflowUnique(db: Database, userId: string, id: string, name: string): Promise<StoreResult<Workflow>> {
  try {
    const [row] = await db
      .update(workflows)
      .set({ name, updatedAt: new Date() })
      .where(and(eq(workflows.id, id), eq(workflows.userId, userId)))
      .returning();
    return row ? { ok: true, value: row } : NOT_FOUND;
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, error: nameTaken(name) };
    throw e;
  }
}

/** "X (copy)", then "X (copy 2)", … : the first name this user does not have yet. Inactive. */
export async function duplicateWorkflow(db: Database, userId: string, id: string): Promise<StoreResult<Workflow>> {
  const source = await getWorkflow(db, userId, id);
  if (!source) return NOT_FOUND;
  const names = new Set((await listWorkflows(db, userId)).map((w) => w.name));
  let name = `${source.name} (copy)`;
  for (let i = 2; names.has(name); i++) name = `${source.name} (copy ${i})`;
  const [row] = await db.insert(workflows).values({ userId, name: name.slice(0, 255), jsonGraph: source.jsonGraph, isActive: false }).returning();
  return { ok: true, value: row! };
}

export async function setWorkflowActive(db: Database, userId: string, id: string, isActive: boolean): Promise<StoreResult<Workflow>> {
  const [row] = await db
    .update(workflows)
    .set({ isActive, updatedAt: new Date() })
    .where(and(eq(workflows.id, id), eq(workflows.userId, userId)))
    .returning();
  return row ? { ok: true, value: row } : NOT_FOUND;
}

export async function saveWorkflowGraph(db: Database, userId: string, id: string, rawGraph: unknown, registry: NodeRegistry = defaultRegistry): Promise<StoreResult<Workflow>> {
  if (!(await getWorkflow(db, userId, id))) return NOT_FOUND;
  const { graph, problems } = await checkGraphForSave(db, rawGraph, registry);
  if (!graph) return refused(problems);
  const [row] = await db
    .update(workflows)
    .set({ jsonGraph: graph, updatedAt: new Date() })
    .where(and(eq(workflows.id, id), eq(workflows.userId, userId)))
    .returning();
  return row ? { ok: true, value: row } : NOT_FOUND;
}

export { deleteWorkflow };

/** The export file: the name and the graph, which an import reads back. */
export interface WorkflowExport {
  quantflowWorkflow: 1;
  name: string;
  graph: unknown;
}

export async function exportWorkflow(db: Database, userId: string, id: string): Promise<{ fileName: string; json: string } | null> {
  const row = await getWorkflow(db, userId, id);
  if (!row) return null;
  const body: WorkflowExport = { quantflowWorkflow: 1, name: row.name, graph: row.jsonGraph };
  const fileName = `${row.name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "workflow"}.json`;
  return { fileName, json: JSON.stringify(body, null, 2) };
}

/**
 * Reads an export file (or a bare graph). Size first: at most 1 MB (plus a little for the wrapper).
 * The name is the file's unless one is given; a taken name gets " (imported)", " (imported 2)", ….
 * A graph whose nodes have no positions, or positions that pile them on each other, is laid out
 * (lib/workflows/layout.ts); one whose nodes stand apart keeps its own arrangement, which its author chose.
 */
export async function importWorkflow(db: Database, userId: string, text: string, name?: string, registry: NodeRegistry = defaultRegistry): Promise<StoreResult<Workflow>> {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > GRAPH_LIMITS.maxBytes + 1024) {
    return { ok: false, error: `The file is ${(bytes / 1e6).toFixed(1)} MB; at most ${GRAPH_LIMITS.maxBytes / 1e6} MB can be imported.` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `The file is not JSON: ${(e as Error).message}` };
  }
  // Before anything walks it recursively (the file's name, JSON.stringify below).
  const textProblem = checkJsonValue(raw);
  if (textProblem) return { ok: false, error: `The file was not imported: ${textProblem.message}.` };
  const wrapped = typeof raw === "object" && raw !== null && "quantflowWorkflow" in raw;
  const graphRaw = wrapped ? (raw as WorkflowExport).graph : raw;
  const fileName = wrapped && typeof (raw as WorkflowExport).name === "string" ? (raw as WorkflowExport).name : undefined;
  const parsedName = workflowNameSchema.safeParse(name || fileName || "Imported workflow");
  if (!parsedName.success) return { ok: false, error: parsedName.error.issues[0]!.message };
  const positions = fillMissingPositions(graphRaw);
  // The graph's own 1 MB check on its text, so a huge graph is refused before the rest of the checks.
  const sized = parseGraphJson(JSON.stringify(positions.raw ?? null), registry);
  if (!sized.graph) return refused(sized.problems);
  const checked = await checkGraphForSave(db, sized.graph, registry);
  if (!checked.graph) return refused(checked.problems);
  const graph = positions.missing || hasOverlappingNodes(checked.graph, registry) ? arrangeWorkflowGraph(checked.graph, registry) : checked.graph;
  if (name) return insertWorkflow(db, userId, parsedName.data, graph);
  const names = new Set((await listWorkflows(db, userId)).map((w) => w.name));
  let finalName = parsedName.data;
  for (let i = 1; names.has(finalName); i++) finalName = `${parsedName.data} (imported${i > 1 ? ` ${i}` : ""})`;
  return insertWorkflow(db, userId, finalName, graph);
}

// ---------------------------------------------------------------- the list page

export interface ScheduleSpec {
  nodeId: string;
  cron: string;
  tradingDaysOnly: boolean;
}

/** The schedule triggers of a stored graph (a graph that no longer parses has none). */
export function schedulesOf(graph: unknown): ScheduleSpec[] {
  const nodes = (graph as { nodes?: unknown })?.nodes;
  if (!Array.isArray(nodes)) return [];
  const out: ScheduleSpec[] = [];
  for (const node of nodes as { id?: unknown; type?: unknown; data?: { params?: { cron?: unknown; tradingDaysOnly?: unknown } } }[]) {
    const cron = node?.data?.params?.cron;
    if (node?.type === "trigger.schedule" && typeof node.id === "string" && typeof cron === "string") {
      out.push({ nodeId: node.id, cron, tradingDaysOnly: node.data?.params?.tradingDaysOnly !== false });
    }
  }
  return out;
}

/** The next time any schedule trigger of an active workflow fires; null when none. */
export function nextScheduledRun(row: Pick<Workflow, "jsonGraph" | "isActive">, after = new Date()): Date | null {
  if (!row.isActive) return null;
  let best: Date | null = null;
  for (const s of schedulesOf(row.jsonGraph)) {
    try {
      const [next] = nextRuns(s.cron, after, 1, { tradingDaysOnly: s.tradingDaysOnly });
      if (next && (!best || next < best)) best = next;
    } catch {
      // An unparsable cron was refused on save; a stale row simply has no next run.
    }
  }
  return best;
}

export interface WorkflowSummary {
  id: string;
  name: string;
  isActive: boolean;
  updatedAt: Date | null;
  hasSchedule: boolean;
  lastRun: { id: string; status: string; executedAt: Date | null; durationMs: number | null } | null;
  nextRun: Date | null;
}

export async function listWorkflowSummaries(db: Database, userId: string, now = new Date()): Promise<WorkflowSummary[]> {
  const rows = await listWorkflows(db, userId);
  if (rows.length === 0) return [];
  const last = await db
    .selectDistinctOn([workflowExecutionLogs.workflowId], {
      workflowId: workflowExecutionLogs.workflowId,
      id: workflowExecutionLogs.id,
      status: workflowExecutionLogs.status,
      executedAt: workflowExecutionLogs.executedAt,
      durationMs: workflowExecutionLogs.durationMs,
    })
    .from(workflowExecutionLogs)
    .innerJoin(workflows, eq(workflows.id, workflowExecutionLogs.workflowId))
    .where(eq(workflows.userId, userId))
    .orderBy(workflowExecutionLogs.workflowId, sql`${workflowExecutionLogs.executedAt} DESC`);
  const lastBy = new Map(last.map((l) => [l.workflowId, l]));
  return rows.map((row) => {
    const l = lastBy.get(row.id);
    return {
      id: row.id,
      name: row.name,
      isActive: row.isActive ?? false,
      updatedAt: row.updatedAt,
      hasSchedule: schedulesOf(row.jsonGraph).length > 0,
      lastRun: l ? { id: l.id, status: l.status, executedAt: l.executedAt, durationMs: l.durationMs } : null,
      nextRun: nextScheduledRun({ jsonGraph: row.jsonGraph, isActive: row.isActive }, now),
    };
  });
}
