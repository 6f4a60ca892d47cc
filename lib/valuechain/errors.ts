/**
 * Why a change to the value chain was refused, in words a form or a 400 can show. The database holds
 * the same rules (drizzle/0000 and 0011); its refusals are translated here too, so a rule broken by a
 * race (two admins adding the same link at once) reads the same as one caught up front.
 */
export type ValueChainErrorCode =
  | "invalid" // the input breaks a rule (zod, or the database's check)
  | "unknown_symbol"
  | "duplicate_symbol"
  | "self_loop"
  | "duplicate_edge"
  | "unknown_node" // an edge's source or target does not exist
  | "not_found"; // the node, edge or change the call names does not exist

export class ValueChainError extends Error {
  constructor(
    readonly code: ValueChainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ValueChainError";
  }

  /** 404 for an id that does not exist, 400 for every broken rule. */
  get status(): 400 | 404 {
    return this.code === "not_found" ? 404 : 400;
  }
}

export const DUPLICATE_EDGE_MESSAGE = "there is already an edge with the same source, target and relationship";

interface PgError {
  code?: string;
  constraint?: string;
  cause?: unknown;
}

/** The PostgreSQL error under drizzle's wrapper, if any. */
function pgErrorOf(error: unknown): PgError | undefined {
  for (let e = error as PgError | undefined, depth = 0; e && depth < 5; e = e.cause as PgError | undefined, depth++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e;
  }
  return undefined;
}

/** The database's refusal of a chain write as a ValueChainError; undefined for any other error. */
export function translateDatabaseError(error: unknown, symbol?: string | null): ValueChainError | undefined {
  const e = pgErrorOf(error);
  if (!e) return undefined;
  switch (e.constraint) {
    case "value_chain_nodes_symbol_idx":
      return new ValueChainError("duplicate_symbol", `symbol: ${symbol ?? "this symbol"} already has a node in the chain`);
    case "value_chain_nodes_node_type_check":
      return new ValueChainError("invalid", "nodeType: node type must be Upstream, Midstream or Downstream");
    case "value_chain_edges_correlation_coeff_check":
      return new ValueChainError("invalid", "correlationCoeff: correlation must be between -1 and 1");
    case "value_chain_edges_no_self_loop":
      return new ValueChainError("self_loop", "targetId: an edge cannot link a node to itself: choose another target");
    case "value_chain_edges_unique_link":
      return new ValueChainError("duplicate_edge", DUPLICATE_EDGE_MESSAGE);
    case "value_chain_edges_source_id_value_chain_nodes_id_fk":
      return new ValueChainError("unknown_node", "sourceId: there is no node with this id");
    case "value_chain_edges_target_id_value_chain_nodes_id_fk":
      return new ValueChainError("unknown_node", "targetId: there is no node with this id");
  }
  return undefined;
}
