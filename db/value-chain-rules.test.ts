/**
 * The value chain's rules held by the database itself (drizzle/0000 and 0011), against raw SQL that
 * skips lib/valuechain: a direct bad insert or update is refused with a named constraint.
 */
import { describe, expect, it } from "vitest";
import { testPool } from "@/test/db";

const pool = testPool();

async function rejects(query: Promise<unknown>, expected: { code: string; constraint: string; message?: RegExp }) {
  const error = (await query.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code?: string; constraint?: string; message?: string } | undefined;
  expect(error, "the database accepted it").toBeDefined();
  expect({ code: error!.code, constraint: error!.constraint }).toEqual({ code: expected.code, constraint: expected.constraint });
  if (expected.message) expect(error!.message).toMatch(expected.message);
}

async function nodes(n: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    "INSERT INTO value_chain_nodes (name, sector, node_type) SELECT 'rule node ' || g, 'Steel', 'Midstream' FROM generate_series(1, $1) g RETURNING id",
    [n],
  );
  return rows.map((r) => r.id);
}

describe("value_chain_edges", () => {
  it("refuses an edge from a node to itself, on insert and on update", async () => {
    const [a, b] = await nodes(2);
    await rejects(pool.query("INSERT INTO value_chain_edges (source_id, target_id) VALUES ($1, $1)", [a]), {
      code: "23514",
      constraint: "value_chain_edges_no_self_loop",
      message: /cannot link a node to itself/,
    });
    const { rows } = await pool.query<{ id: string }>("INSERT INTO value_chain_edges (source_id, target_id) VALUES ($1, $2) RETURNING id", [a, b]);
    await rejects(pool.query("UPDATE value_chain_edges SET target_id = source_id WHERE id = $1", [rows[0]!.id]), {
      code: "23514",
      constraint: "value_chain_edges_no_self_loop",
    });
  });

  it("refuses a second edge with the same source, target and relationship (none counts as the same)", async () => {
    const [a, b] = await nodes(2);
    await pool.query("INSERT INTO value_chain_edges (source_id, target_id, relationship) VALUES ($1, $2, 'supplies'), ($1, $2, NULL)", [a, b]);
    for (const relationship of ["supplies", null]) {
      await rejects(pool.query("INSERT INTO value_chain_edges (source_id, target_id, relationship) VALUES ($1, $2, $3)", [a, b, relationship]), {
        code: "23505",
        constraint: "value_chain_edges_unique_link",
        message: /same source, target and relationship/,
      });
    }
    // Within one statement too.
    await rejects(pool.query("INSERT INTO value_chain_edges (source_id, target_id, relationship) VALUES ($1, $2, 'x'), ($1, $2, 'x')", [a, b]), {
      code: "23505",
      constraint: "value_chain_edges_unique_link",
    });
    // Another relationship, or the other direction, is another link; an update onto an existing link is refused.
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO value_chain_edges (source_id, target_id, relationship) VALUES ($1, $2, 'sells_to'), ($2, $1, 'supplies') RETURNING id",
      [a, b],
    );
    await rejects(pool.query("UPDATE value_chain_edges SET relationship = 'supplies' WHERE id = $1", [rows[0]!.id]), {
      code: "23505",
      constraint: "value_chain_edges_unique_link",
    });
    // Updating other columns of an edge is not a duplicate of itself.
    await pool.query("UPDATE value_chain_edges SET relationship = 'sells_to', weight = 0.5 WHERE id = $1", [rows[0]!.id]);
  });

  it("lets only one of two concurrent transactions add the same link", async () => {
    const [a, b] = await nodes(2);
    const [c1, c2] = [await pool.connect(), await pool.connect()];
    try {
      await c1.query("BEGIN");
      await c2.query("BEGIN");
      await c1.query("INSERT INTO value_chain_edges (source_id, target_id, relationship) VALUES ($1, $2, 'race')", [a, b]);
      // c2 waits for c1's lock on the pair, then sees c1's committed row.
      const second = c2.query("INSERT INTO value_chain_edges (source_id, target_id, relationship) VALUES ($1, $2, 'race')", [a, b]);
      // Its refusal may arrive before the assertion below awaits it: handled from now on, asserted there.
      second.catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
      await c1.query("COMMIT");
      await rejects(second, { code: "23505", constraint: "value_chain_edges_unique_link" });
      await c2.query("ROLLBACK");
    } finally {
      c1.release();
      c2.release();
    }
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM value_chain_edges WHERE source_id = $1 AND target_id = $2", [a, b]);
    expect(rows[0].n).toBe(1);
  });

  it("keeps the seed's rules: the lane and the correlation's range", async () => {
    const [a, b] = await nodes(2);
    await rejects(pool.query("INSERT INTO value_chain_nodes (name, sector, node_type) VALUES ('x', 'Steel', 'upstream')"), {
      code: "23514",
      constraint: "value_chain_nodes_node_type_check",
    });
    for (const rho of [1.01, -1.01, Number.NaN]) {
      await rejects(pool.query("INSERT INTO value_chain_edges (source_id, target_id, correlation_coeff) VALUES ($1, $2, $3)", [a, b, rho]), {
        code: "23514",
        constraint: "value_chain_edges_correlation_coeff_check",
      });
    }
  });
});

describe("value_chain_changes and value_chain_analyses", () => {
  it("refuse rows that do not say what they tell", async () => {
    const id = "00000000-0000-4000-8000-000000000001";
    await rejects(pool.query("INSERT INTO value_chain_changes (entity, entity_id, action, before, after) VALUES ('node', $1, 'create', '{}', '{}')", [id]), {
      code: "23514",
      constraint: "value_chain_changes_before_check",
    });
    await rejects(pool.query("INSERT INTO value_chain_changes (entity, entity_id, action, before) VALUES ('node', $1, 'update', '{}')", [id]), {
      code: "23514",
      constraint: "value_chain_changes_after_check",
    });
    await rejects(pool.query("INSERT INTO value_chain_changes (entity, entity_id, action, after) VALUES ('graph', $1, 'create', '{}')", [id]), {
      code: "23514",
      constraint: "value_chain_changes_entity_check",
    });
    const [a, b] = await nodes(2);
    const { rows } = await pool.query<{ id: string }>("INSERT INTO value_chain_edges (source_id, target_id) VALUES ($1, $2) RETURNING id", [a, b]);
    const insert = (overrides: Record<string, unknown>) => {
      const v = { window_years: 3, max_lag: 20, lead_time_days: 3, correlation: 0.4, weight: 0.4, ...overrides };
      return pool.query(
        `INSERT INTO value_chain_analyses (edge_id, window_years, as_of, max_lag, n, lead_time_days, correlation, significant, band, plain_band, weight, lags)
         VALUES ($1, $2, '2026-11-20', $3, 700, $4, $5, true, 0.12, 0.07, $6, '[]')`,
        [rows[0]!.id, v.window_years, v.max_lag, v.lead_time_days, v.correlation, v.weight],
      );
    };
    await insert({});
    await rejects(insert({ window_years: 2 }), { code: "23514", constraint: "value_chain_analyses_window_years_check" });
    await rejects(insert({ lead_time_days: 21 }), { code: "23514", constraint: "value_chain_analyses_lead_check" });
    await rejects(insert({ correlation: 1.5 }), { code: "23514", constraint: "value_chain_analyses_correlation_check" });
    await rejects(insert({ weight: -0.1 }), { code: "23514", constraint: "value_chain_analyses_weight_check" });
  });
});
