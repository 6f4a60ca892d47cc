/**
 * The user-owned rows (workflows, their execution logs, portfolio allocations), read,
 * changed and deleted only through functions that take the owner's id. A row of another user is
 * indistinguishable from a row that does not exist: both give null / false, which route handlers
 * and actions answer with 404, so ids of other users' rows do not leak.
 *
 * Later issues add their own queries here (or beside, in the same shape): never a query on these
 * tables without `userId`.
 */
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/database";
import { portfolioAllocations, workflowExecutionLogs, workflows } from "@/db/schema";

/** Ids arrive from URLs and forms: anything that is not a uuid is simply "not found". */
export function parseId(id: unknown): string | null {
  const parsed = z.uuid().safeParse(id);
  return parsed.success ? parsed.data : null;
}

// ---------------------------------------------------------------- workflows

export async function listWorkflows(db: Database, userId: string) {
  return db.select().from(workflows).where(eq(workflows.userId, userId)).orderBy(workflows.name);
}

export async function getWorkflow(db: Database, userId: string, id: string) {
  const [row] = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, id), eq(workflows.userId, userId)));
  return row ?? null;
}

export async function renameWorkflow(db: Database, userId: string, id: string, name: string) {
  const [row] = await db
    .update(workflows)
    .set({ name })
    .where(and(eq(workflows.id, id), eq(workflows.userId, userId)))
    .returning();
  return row ?? null;
}

export async function deleteWorkflow(db: Database, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(workflows)
    .where(and(eq(workflows.id, id), eq(workflows.userId, userId)))
    .returning({ id: workflows.id });
  return rows.length > 0;
}

// ---------------------------------------------------------------- execution logs (owned through their workflow)

/** A workflow's logs, newest first; null when the workflow is not the user's. */
export async function listExecutionLogs(db: Database, userId: string, workflowId: string) {
  if (!(await getWorkflow(db, userId, workflowId))) return null;
  return db
    .select()
    .from(workflowExecutionLogs)
    .where(eq(workflowExecutionLogs.workflowId, workflowId))
    .orderBy(desc(workflowExecutionLogs.executedAt));
}

export async function getExecutionLog(db: Database, userId: string, id: string) {
  const [row] = await db
    .select({ log: workflowExecutionLogs })
    .from(workflowExecutionLogs)
    .innerJoin(workflows, eq(workflows.id, workflowExecutionLogs.workflowId))
    .where(and(eq(workflowExecutionLogs.id, id), eq(workflows.userId, userId)));
  return row?.log ?? null;
}

export async function deleteExecutionLog(db: Database, userId: string, id: string): Promise<boolean> {
  if (!(await getExecutionLog(db, userId, id))) return false;
  const rows = await db
    .delete(workflowExecutionLogs)
    .where(eq(workflowExecutionLogs.id, id))
    .returning({ id: workflowExecutionLogs.id });
  return rows.length > 0;
}

// ---------------------------------------------------------------- portfolio allocations

export async function listAllocations(db: Database, userId: string) {
  return db.select().from(portfolioAllocations).where(eq(portfolioAllocations.userId, userId));
}

export async function getAllocation(db: Database, userId: string, id: string) {
  const [row] = await db
    .select()
    .from(portfolioAllocations)
    .where(and(eq(portfolioAllocations.id, id), eq(portfolioAllocations.userId, userId)));
  return row ?? null;
}

export async function updateAllocationPct(db: Database, userId: string, id: string, allocationPct: number) {
  const [row] = await db
    .update(portfolioAllocations)
    .set({ allocationPct })
    .where(and(eq(portfolioAllocations.id, id), eq(portfolioAllocations.userId, userId)))
    .returning();
  return row ?? null;
}

export async function deleteAllocation(db: Database, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(portfolioAllocations)
    .where(and(eq(portfolioAllocations.id, id), eq(portfolioAllocations.userId, userId)))
    .returning({ id: portfolioAllocations.id });
  return rows.length > 0;
}

// ---------------------------------------------------------------- memories

// Memories are read and written only through lib/memory/memories.ts (getMemory, updateMemory,
// deleteMemory, findMemories, each taking the owner's id): a write here would skip the embedding, the
// user's version that other instances' search caches follow, and the Qdrant store when it is in use.

// ---------------------------------------------------------------- the scheduler (system-wide, read-only)

/**
 * The one read across users: the scheduler's tick needs every active workflow (with its owner, so the
 * run it starts is that owner's). Never exposed to a request; runs go through startRunOf with the row.
 */
export async function listActiveWorkflowsOfAllUsers(db: Database) {
  return db
    .select({ id: workflows.id, userId: workflows.userId, name: workflows.name, jsonGraph: workflows.jsonGraph })
    .from(workflows)
    .where(eq(workflows.isActive, true));
}
