/**
 * Editing the shared chain: create, update and delete nodes and edges. Each call validates its input
 * (zod: the same rules as the database), writes in one transaction together with its change-log row,
 * and names the user who made it. The caller checks that this user may write shared data
 * (lib/auth/roles.ts canWriteSharedData; routes: withSharedDataWriter).
 *
 * Refusals are ValueChainErrors (lib/valuechain/errors.ts) with the reason in words; nothing is stored then.
 */
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Database } from "@/db/database";
import { recordChange, type EdgeSnapshot, type NodeSnapshot } from "./changes";
import { translateDatabaseError, ValueChainError } from "./errors";
import { edgeFromRow, isUuid, nodeFromRow, type ChainEdge, type ChainNode } from "./read";
import {
  describeIssues,
  edgeInputSchema,
  edgePatchSchema,
  nodeInputSchema,
  nodePatchSchema,
  SELF_LOOP_MESSAGE,
  type EdgeFields,
  type NodeFields,
} from "./schemas";

/** Who makes the change: a user id, or null for the system (the demo seed). */
export type Actor = string | null;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValueChainError("invalid", describeIssues(parsed.error));
  return parsed.data;
}

/** Runs a write in a transaction; the database's refusals come out as ValueChainErrors. */
async function write<T>(db: Database, work: (tx: Database) => Promise<T>, symbol?: string | null): Promise<T> {
  try {
    return await db.transaction(async (tx) => work(tx as unknown as Database));
  } catch (error) {
    throw translateDatabaseError(error, symbol) ?? error;
  }
}

const notFound = (what: "node" | "edge", id: string) => new ValueChainError("not_found", `There is no ${what} with id ${id}.`);

// ---------------------------------------------------------------- nodes

function nodeSnapshot(n: ChainNode): NodeSnapshot {
  return { id: n.id, symbol: n.symbol, name: n.name, sector: n.sector, nodeType: n.nodeType, description: n.description };
}

async function assertKnownSymbol(tx: Database, symbol: string | null): Promise<void> {
  if (symbol === null) return;
  const { rows } = await tx.execute(sql`SELECT 1 FROM market_symbols WHERE symbol = ${symbol}`);
  if (rows.length === 0) {
    throw new ValueChainError(
      "unknown_symbol",
      `symbol: ${symbol} is not a known symbol (search the symbol list, /api/symbols?q=…); leave it empty for a node that is not listed`,
    );
  }
}

async function assertFreeSymbol(tx: Database, symbol: string | null, exceptId?: string): Promise<void> {
  if (symbol === null) return;
  const { rows } = await tx.execute<{ name: string }>(
    sql`SELECT name FROM value_chain_nodes WHERE symbol = ${symbol} AND id IS DISTINCT FROM ${exceptId ?? null}::uuid`,
  );
  if (rows[0]) throw new ValueChainError("duplicate_symbol", `symbol: ${symbol} already has a node in the chain (${rows[0].name})`);
}

async function lockNode(tx: Database, id: string): Promise<ChainNode | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await tx.execute(
    sql`SELECT id, symbol, name, sector, node_type, description, created_at FROM value_chain_nodes WHERE id = ${id} FOR UPDATE`,
  );
  return rows[0] ? nodeFromRow(rows[0]) : undefined;
}

/** Adds a node. The symbol, when given, must be a known symbol without a node yet. */
export async function createNode(db: Database, actor: Actor, input: unknown): Promise<ChainNode> {
  const n: NodeFields = parse(nodeInputSchema, input);
  return write(
    db,
    async (tx) => {
      await assertKnownSymbol(tx, n.symbol);
      await assertFreeSymbol(tx, n.symbol);
      const { rows } = await tx.execute(sql`INSERT INTO value_chain_nodes (symbol, name, sector, node_type, description)
        VALUES (${n.symbol}, ${n.name}, ${n.sector}, ${n.nodeType}, ${n.description})
        RETURNING id, symbol, name, sector, node_type, description, created_at`);
      const node = nodeFromRow(rows[0]!);
      await recordChange(tx, { userId: actor, entity: "node", entityId: node.id, action: "create", before: null, after: nodeSnapshot(node) });
      return node;
    },
    n.symbol,
  );
}

/** Changes some fields of a node (`symbol: null` or "" makes it unlisted). */
export async function updateNode(db: Database, actor: Actor, id: string, patch: unknown): Promise<ChainNode> {
  const p = parse(nodePatchSchema, patch);
  return write(
    db,
    async (tx) => {
      const before = await lockNode(tx, id);
      if (!before) throw notFound("node", id);
      const next = { ...nodeSnapshot(before), ...p };
      if (p.symbol !== undefined && p.symbol !== before.symbol) {
        await assertKnownSymbol(tx, next.symbol);
        await assertFreeSymbol(tx, next.symbol, id);
      }
      const { rows } = await tx.execute(sql`UPDATE value_chain_nodes
          SET symbol = ${next.symbol}, name = ${next.name}, sector = ${next.sector}, node_type = ${next.nodeType}, description = ${next.description}
        WHERE id = ${id}
        RETURNING id, symbol, name, sector, node_type, description, created_at`);
      const after = nodeFromRow(rows[0]!);
      await recordChange(tx, { userId: actor, entity: "node", entityId: id, action: "update", before: nodeSnapshot(before), after: nodeSnapshot(after) });
      return after;
    },
    p.symbol,
  );
}

/**
 * Removes a node and, with it, every edge that touches it (the seed's ON DELETE CASCADE); the log gets
 * a row for each of those edges too, so a deleted link can be told and restored from the log.
 */
export async function deleteNode(db: Database, actor: Actor, id: string): Promise<{ node: ChainNode; edgesRemoved: number }> {
  return write(db, async (tx) => {
    const node = await lockNode(tx, id);
    if (!node) throw notFound("node", id);
    const edges = await edgesWithNames(tx, sql`e.source_id = ${id} OR e.target_id = ${id}`, true);
    for (const e of edges) {
      await recordChange(tx, { userId: actor, entity: "edge", entityId: e.id, action: "delete", before: e, after: null });
    }
    await tx.execute(sql`DELETE FROM value_chain_nodes WHERE id = ${id}`);
    await recordChange(tx, { userId: actor, entity: "node", entityId: id, action: "delete", before: nodeSnapshot(node), after: null });
    return { node, edgesRemoved: edges.length };
  });
}

// ---------------------------------------------------------------- edges

const EDGE_RETURNING = sql`id, source_id, target_id, relationship, correlation_coeff, lead_time_days, weight, created_at, updated_at`;

async function edgesWithNames(tx: Database, where: ReturnType<typeof sql>, lock = false): Promise<EdgeSnapshot[]> {
  const { rows } = await tx.execute<Record<string, unknown>>(sql`SELECT e.id, e.source_id, e.target_id, e.relationship, e.correlation_coeff,
      e.lead_time_days, e.weight, s.name AS source_name, t.name AS target_name
      FROM value_chain_edges e JOIN value_chain_nodes s ON s.id = e.source_id JOIN value_chain_nodes t ON t.id = e.target_id
     WHERE ${where} ORDER BY e.created_at, e.id ${lock ? sql`FOR UPDATE OF e` : sql``}`);
  return rows.map((r) => ({
    id: r.id as string,
    sourceId: r.source_id as string,
    targetId: r.target_id as string,
    sourceName: r.source_name as string,
    targetName: r.target_name as string,
    relationship: (r.relationship as string | null) ?? null,
    correlationCoeff: r.correlation_coeff === null ? null : Number(r.correlation_coeff),
    leadTimeDays: r.lead_time_days === null ? null : Number(r.lead_time_days),
    weight: r.weight === null ? null : Number(r.weight),
  }));
}

/** The names of an edge's ends, read with a share lock so neither is deleted before the edge is written. */
async function endNames(tx: Database, sourceId: string, targetId: string): Promise<{ sourceName: string; targetName: string }> {
  const { rows } = await tx.execute<{ id: string; name: string }>(
    sql`SELECT id, name FROM value_chain_nodes WHERE id IN (${sourceId}, ${targetId}) FOR SHARE`,
  );
  const name = (id: string) => rows.find((r) => r.id === id)?.name;
  const sourceName = name(sourceId);
  const targetName = name(targetId);
  if (sourceName === undefined) throw new ValueChainError("unknown_node", "sourceId: there is no node with this id");
  if (targetName === undefined) throw new ValueChainError("unknown_node", "targetId: there is no node with this id");
  return { sourceName, targetName };
}

function edgeSnapshot(e: ChainEdge, names: { sourceName: string; targetName: string }): EdgeSnapshot {
  return {
    id: e.id,
    sourceId: e.sourceId,
    targetId: e.targetId,
    ...names,
    relationship: e.relationship,
    correlationCoeff: e.correlationCoeff,
    leadTimeDays: e.leadTimeDays,
    weight: e.weight,
  };
}

/** Adds an edge source → target. No self-loop; no second edge with the same source, target and relationship. */
export async function createEdge(db: Database, actor: Actor, input: unknown): Promise<ChainEdge> {
  const e: EdgeFields = parse(edgeInputSchema, input);
  return write(db, async (tx) => {
    const names = await endNames(tx, e.sourceId, e.targetId);
    const { rows } = await tx.execute(sql`INSERT INTO value_chain_edges (source_id, target_id, relationship, correlation_coeff, lead_time_days, weight)
      VALUES (${e.sourceId}, ${e.targetId}, ${e.relationship}, ${e.correlationCoeff}, ${e.leadTimeDays}, ${e.weight})
      RETURNING ${EDGE_RETURNING}`);
    const edge = edgeFromRow(rows[0]!);
    await recordChange(tx, { userId: actor, entity: "edge", entityId: edge.id, action: "create", before: null, after: edgeSnapshot(edge, names) });
    return edge;
  });
}

/** Changes some fields of an edge; the rules are checked on the edge as it would be after the change. */
export async function updateEdge(db: Database, actor: Actor, id: string, patch: unknown): Promise<ChainEdge> {
  const p = parse(edgePatchSchema, patch);
  return write(db, async (tx) => {
    const [before] = isUuid(id) ? await edgesWithNames(tx, sql`e.id = ${id}`, true) : [];
    if (!before) throw notFound("edge", id);
    const next = { ...before, ...p };
    if (next.sourceId === next.targetId) throw new ValueChainError("self_loop", `targetId: ${SELF_LOOP_MESSAGE}`);
    const names = await endNames(tx, next.sourceId, next.targetId);
    const { rows } = await tx.execute(sql`UPDATE value_chain_edges
        SET source_id = ${next.sourceId}, target_id = ${next.targetId}, relationship = ${next.relationship},
            correlation_coeff = ${next.correlationCoeff}, lead_time_days = ${next.leadTimeDays}, weight = ${next.weight}
      WHERE id = ${id}
      RETURNING ${EDGE_RETURNING}`);
    const after = edgeFromRow(rows[0]!);
    await recordChange(tx, { userId: actor, entity: "edge", entityId: id, action: "update", before, after: edgeSnapshot(after, names) });
    return after;
  });
}

/** Removes an edge (its analysis history goes with it). */
export async function deleteEdge(db: Database, actor: Actor, id: string): Promise<EdgeSnapshot> {
  return write(db, async (tx) => {
    const [before] = isUuid(id) ? await edgesWithNames(tx, sql`e.id = ${id}`, true) : [];
    if (!before) throw notFound("edge", id);
    await tx.execute(sql`DELETE FROM value_chain_edges WHERE id = ${id}`);
    await recordChange(tx, { userId: actor, entity: "edge", entityId: id, action: "delete", before, after: null });
    return before;
  });
}
