/**
 * Runs lists, newest first, paged by keyset: a page starts after the (executed_at, id) of the last run shown
 * (drizzle/0017's index gives that order), so the 5,000th page costs what the first does, where OFFSET
 * reads and throws away every run before it. One function serves both lists: a workflow's runs page
 * (`workflowId` given) and the executions page (every run of the user's workflows).
 *
 * Each row carries its mode and outcome in a few words (lib/workflows/outcome.ts summariseRun), from a
 * digest SQL cuts out of the stored result (the trigger's kind, the signal tables, the alerts: small parts
 * read with jsonb_path_query), never the whole result (up to QUANTFLOW_RUN_RESULT_KB each).
 *
 * A cursor is the run's executed_at to the microsecond (as PostgreSQL writes it: a JS Date keeps only
 * milliseconds, and two runs of one millisecond would be skipped or shown twice) and its id:
 * `2026-12-02T04:29:51.123456Z_<uuid>`, opaque to the pages that pass it along.
 */
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/database";
import { workflowExecutionLogs as logs, workflows } from "@/db/schema";
import { summariseRun, type RunMode, type RunOutcome } from "./outcome";

export const RUN_LIST_MAX_LIMIT = 200;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const CURSOR = new RegExp(`^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?Z)_(${UUID})$`, "i");

/** A page boundary: a run's exact executed_at (ISO 8601 UTC, microseconds) and id. */
export interface RunCursor {
  executedAt: string;
  id: string;
}

export const runCursorSchema = z
  .string()
  .regex(CURSOR, "not a runs list position")
  .transform((v): RunCursor => {
    const [, executedAt, id] = CURSOR.exec(v)!;
    return { executedAt: executedAt!, id: id!.toLowerCase() };
  })
  .refine((c) => !Number.isNaN(Date.parse(c.executedAt)), "not a runs list position");

export const encodeRunCursor = (c: RunCursor): string => `${c.executedAt}_${c.id}`;

/** A cursor string from a URL: the cursor, or null when absent or malformed (the list then starts at the newest). */
export function parseRunCursor(raw: string | undefined | null): RunCursor | null {
  if (!raw) return null;
  const parsed = runCursorSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export const RUN_STATUSES = ["pending", "running", "success", "failed"] as const;
export type RunStatusFilter = (typeof RUN_STATUSES)[number];

/** ?status= of the lists: one of the statuses, or absent (every run); anything else is refused. */
export const runStatusFilterSchema = z.enum(RUN_STATUSES, { error: `status is one of ${RUN_STATUSES.join(", ")}` }).optional();

/** The list's `where` for a status filter (undefined: every run). */
export const runStatusCondition = (status: RunStatusFilter | undefined): SQL | undefined => (status ? eq(logs.status, status) : undefined);

/** A runs page's query string as the list reads it: what cannot be read is left out and said in `problems`. */
export interface RunsPageQuery {
  status?: RunStatusFilter;
  before: RunCursor | null;
  after: RunCursor | null;
  /** What was not applied, for the page to say ("not filtered: …"). */
  problems: string[];
}

export function parseRunsPageQuery(query: { status?: string; before?: string; after?: string }): RunsPageQuery {
  const parsedStatus = runStatusFilterSchema.safeParse(query.status || undefined);
  const before = parseRunCursor(query.before);
  const after = parseRunCursor(query.after);
  const problems = [
    parsedStatus.success ? null : `not filtered: ${parsedStatus.error.issues[0]!.message}`,
    (query.before && !before) || (query.after && !after) ? "not a runs list position: shown from the newest" : null,
  ].filter((p): p is string => p !== null);
  return { status: parsedStatus.success ? parsedStatus.data : undefined, before, after, problems };
}

export interface RunListRow {
  id: string;
  workflowId: string;
  workflowName: string;
  status: string;
  executedAt: Date | null;
  durationMs: number | null;
  errorMessage: string | null;
  /** How it was started (from the stored trigger event). */
  mode: RunMode;
  /** The outcome in a few words: "1 signal: TLH", "No signals", "Failed: …". */
  summary: string;
  tone: RunOutcome["tone"];
  /** This row as a page boundary. */
  cursor: string;
}

export interface RunListQuery {
  /** One workflow's runs; without it, every workflow of the user's. */
  workflowId?: string;
  /** Runs older than this one (the next page). */
  before?: RunCursor | null;
  /** Runs newer than this one (the previous page); ignored when `before` is given. */
  after?: RunCursor | null;
  /** Runs a page (1 to RUN_LIST_MAX_LIMIT, default 20). */
  limit?: number;
  /** More conditions on workflow_execution_logs (e.g. a status filter); ANDed in. */
  where?: SQL;
}

export interface RunListPage {
  rows: RunListRow[];
  /** The cursor of the page of older runs (`before`), null when there are none. */
  older: string | null;
  /** The cursor of the page of newer runs (`after`), null at the newest. */
  newer: string | null;
}

/** executed_at to the microsecond, UTC (the cursor's time). */
const exactTime = sql<string>`to_char(${logs.executedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/*
 * The digest (outcome.ts runDigest, in SQL): the trigger's kind (stored beside the nodes; older runs had it
 * only in the trigger node's output), every Signal list's rows and every alert.
 */
const triggerKind = sql<string | null>`coalesce(${logs.result} #>> '{trigger,kind}', jsonb_path_query_first(${logs.result}, 'lax $.nodes.*.output.trigger.kind') #>> '{}')`;
const signalTables = sql<unknown[]>`coalesce(jsonb_path_query_array(${logs.result}, 'lax $.nodes.*.output.signals'), '[]'::jsonb)`;
const alerts = sql<unknown[]>`coalesce(jsonb_path_query_array(${logs.result}, 'lax $.nodes.*.output.alert'), '[]'::jsonb)`;

/**
 * A page of the user's runs (of one workflow, or of all the user's workflows), newest first, each with its
 * workflow's name, mode and outcome. Scoped by the owner through the workflow: another user's workflow id
 * gives an empty page.
 */
export async function listRunsKeyset(db: Database, userId: string, query: RunListQuery = {}): Promise<RunListPage> {
  const limit = Math.min(RUN_LIST_MAX_LIMIT, Math.max(1, Math.trunc(query.limit ?? 20)));
  const backwards = !query.before && !!query.after;
  const cursor = query.before ?? query.after ?? null;
  const conditions: SQL[] = [];
  if (query.workflowId) conditions.push(eq(logs.workflowId, query.workflowId));
  if (cursor) {
    const pair = sql`(${logs.executedAt}, ${logs.id}) ${sql.raw(backwards ? ">" : "<")} (${cursor.executedAt}::timestamptz, ${cursor.id}::uuid)`;
    conditions.push(pair);
  }
  if (query.where) conditions.push(query.where);
  const order = backwards ? [asc(logs.executedAt), asc(logs.id)] : [desc(logs.executedAt), desc(logs.id)];
  const found = await db
    .select({
      id: logs.id,
      workflowId: logs.workflowId,
      status: logs.status,
      executedAt: logs.executedAt,
      durationMs: logs.durationMs,
      errorMessage: logs.errorMessage,
      workflowName: workflows.name,
      exactTime,
      triggerKind,
      signalTables,
      alerts,
    })
    .from(logs)
    .innerJoin(workflows, and(eq(workflows.id, logs.workflowId), eq(workflows.userId, userId)))
    .where(and(...conditions))
    .orderBy(...order)
    .limit(limit + 1);
  const more = found.length > limit;
  const page = found.slice(0, limit);
  if (backwards) page.reverse();
  const rows: RunListRow[] = page.map(({ exactTime: t, triggerKind: kind, signalTables: tables, alerts: raised, ...r }) => ({
    ...r,
    ...summariseRun(r, { triggerKind: kind, signalTables: tables ?? [], alerts: raised ?? [] }),
    cursor: encodeRunCursor({ executedAt: t, id: r.id }),
  }));
  const first = rows[0]?.cursor ?? null;
  const last = rows.at(-1)?.cursor ?? null;
  return backwards
    ? { rows, older: last, newer: more ? first : null }
    : { rows, older: more ? last : null, newer: cursor ? first : null };
}

/**
 * Counting stops here: "1,000+ runs" costs what 1,000 does, not what 100,000 does. Retention keeps 1,000 runs
 * a workflow by default (QUANTFLOW_RUN_RETENTION_COUNT), so the cap rarely shows.
 */
export const RUN_COUNT_CAP = 1_000;

/** A workflow's run count (those matching `where`, e.g. a status), up to RUN_COUNT_CAP + 1 (more than the cap reads as "over"). */
export async function countRunsCapped(db: Database, workflowId: string, where?: SQL): Promise<{ count: number; over: boolean }> {
  const result = await db.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${logs} WHERE ${and(eq(logs.workflowId, workflowId), where)} LIMIT ${RUN_COUNT_CAP + 1}) capped`,
  );
  const n = Number(result.rows[0]?.n ?? 0);
  return { count: Math.min(n, RUN_COUNT_CAP), over: n > RUN_COUNT_CAP };
}
