/**
 * The change log of the shared chain (value_chain_changes): every create, update and delete of a node
 * or an edge, who made it and what it was before and after. Written in the same transaction as the
 * change itself (lib/valuechain/edit.ts), so the log never misses one nor tells of one that was undone.
 */
import { sql } from "drizzle-orm";
import type { Database } from "@/db/database";
import { VALUE_CHAIN_ACTIONS, VALUE_CHAIN_ENTITIES } from "@/db/schema";
import { ValueChainError } from "./errors";
import { changeLogQuerySchema, describeIssues, type ChangeLogQuery } from "./schemas";

export type ChangeEntity = (typeof VALUE_CHAIN_ENTITIES)[number];
export type ChangeAction = (typeof VALUE_CHAIN_ACTIONS)[number];

/** A node as the log keeps it. */
export interface NodeSnapshot {
  id: string;
  symbol: string | null;
  name: string;
  sector: string;
  nodeType: string;
  description: string | null;
}

/** An edge as the log keeps it, with its ends' names at the time (the nodes may be gone later). */
export interface EdgeSnapshot {
  id: string;
  sourceId: string;
  targetId: string;
  sourceName: string;
  targetName: string;
  relationship: string | null;
  correlationCoeff: number | null;
  leadTimeDays: number | null;
  weight: number | null;
}

export interface ChainChange {
  id: number;
  changedAt: Date;
  /** Null once the account is deleted. */
  userId: string | null;
  /** The e-mail of who made the change; null once the account is deleted. */
  userEmail: string | null;
  entity: ChangeEntity;
  entityId: string;
  action: ChangeAction;
  before: NodeSnapshot | EdgeSnapshot | null;
  after: NodeSnapshot | EdgeSnapshot | null;
  /** A short name for the line of the log: "Hoa Phat Group (HPG)" or "Iron ore → Hoa Phat Group". */
  label: string;
}

export interface ChangePage {
  changes: ChainChange[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

/** Appends one row to the log; call inside the transaction of the change. */
export async function recordChange(
  tx: Database,
  change: { userId: string | null; entity: ChangeEntity; entityId: string; action: ChangeAction; before: object | null; after: object | null },
): Promise<void> {
  await tx.execute(sql`INSERT INTO value_chain_changes (user_id, entity, entity_id, action, before, after)
    VALUES (${change.userId}, ${change.entity}, ${change.entityId}, ${change.action},
            ${change.before === null ? null : JSON.stringify(change.before)}::jsonb,
            ${change.after === null ? null : JSON.stringify(change.after)}::jsonb)`);
}

function labelOf(entity: ChangeEntity, snapshot: NodeSnapshot | EdgeSnapshot | null): string {
  if (!snapshot) return entity;
  if (entity === "node") {
    const n = snapshot as NodeSnapshot;
    return n.symbol ? `${n.name} (${n.symbol})` : n.name;
  }
  const e = snapshot as EdgeSnapshot;
  return `${e.sourceName} → ${e.targetName}${e.relationship ? ` (${e.relationship})` : ""}`;
}

/** The log, newest first, a page at a time (`before`: the id of the previous page's last change). */
export async function listChanges(db: Database, query: ChangeLogQuery = {}): Promise<ChangePage> {
  const parsed = changeLogQuerySchema.safeParse(query);
  if (!parsed.success) throw new ValueChainError("invalid", describeIssues(parsed.error));
  const { limit, before } = parsed.data;
  const { rows } = await db.execute<{
    id: string | number;
    changed_at: Date;
    user_id: string | null;
    email: string | null;
    entity: ChangeEntity;
    entity_id: string;
    action: ChangeAction;
    before: NodeSnapshot | EdgeSnapshot | null;
    after: NodeSnapshot | EdgeSnapshot | null;
  }>(sql`SELECT c.id, c.changed_at, c.user_id, u.email, c.entity, c.entity_id, c.action, c.before, c.after
      FROM value_chain_changes c LEFT JOIN users u ON u.id = c.user_id
     WHERE ${before === undefined ? sql`true` : sql`c.id < ${before}`}
     ORDER BY c.id DESC
     LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit).map(
    (r): ChainChange => ({
      id: Number(r.id),
      changedAt: new Date(r.changed_at),
      userId: r.user_id,
      userEmail: r.email,
      entity: r.entity,
      entityId: r.entity_id,
      action: r.action,
      before: r.before,
      after: r.after,
      label: labelOf(r.entity, r.after ?? r.before),
    }),
  );
  return { changes: page, nextBefore: rows.length > limit ? page.at(-1)!.id : null };
}
