/**
 * The live database's catalog against ../shared/seed/database-schema-design.md (parsed, not copied)
 * and against db/schema.ts: tables, columns, types, nullability, defaults, constraints, indexes.
 */
import { is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { testPool } from "@/test/db";
import * as schema from "./schema";
import { existsSync, readFileSync } from "node:fs";
import { readSeedDesign, SEED_DESIGN_PATH, SHARED_SEED_DESIGN_PATH } from "./seed-design";

const seed = readSeedDesign();
if (!seed) throw new Error(`The seed design is missing at ${SEED_DESIGN_PATH}.`);

const pool = testPool();

async function columns(table: string) {
  const { rows } = await pool.query<{ name: string; type: string; not_null: boolean; def: string | null }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS def
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [table],
  );
  return rows;
}

async function constraints(table: string) {
  const { rows } = await pool.query<{ name: string; type: string; def: string; on_delete: string }>(
    `SELECT conname AS name, contype AS type, pg_get_constraintdef(oid) AS def, confdeltype AS on_delete
       FROM pg_constraint WHERE conrelid = $1::regclass`,
    [table],
  );
  return rows.map((r) => ({ ...r, def: r.def.replaceAll('"', "") }));
}

async function indexes(table: string) {
  const { rows } = await pool.query<{ def: string; unique: boolean }>(
    `SELECT pg_get_indexdef(indexrelid) AS def, indisunique AS unique FROM pg_index WHERE indrelid = $1::regclass`,
    [table],
  );
  return rows.map((r) => {
    const m = /USING \w+ \((.*?)\)(?: WHERE \((.*)\))?$/.exec(r.def.replaceAll('"', ""))!;
    return { unique: r.unique, columns: m[1]!, where: m[2] };
  });
}

describe("schema matches the seed design", () => {
  // Skipped only in a clone with no ../shared beside it; CI lays shared/ out beside the clone.
  it.skipIf(!existsSync(SHARED_SEED_DESIGN_PATH))("tests against an unchanged copy of ../shared/seed", () => {
    expect(readFileSync(SEED_DESIGN_PATH, "utf8")).toBe(readFileSync(SHARED_SEED_DESIGN_PATH, "utf8"));
  });

  it("parses every table and index the design lists", () => {
    expect(seed.tables.map((t) => t.name)).toEqual([
      "market_candles",
      "users",
      "workflows",
      "workflow_execution_logs",
      "value_chain_nodes",
      "value_chain_edges",
      "portfolio_allocations",
    ]);
    expect(seed.indexes.length).toBe(10);
  });

  for (const table of seed.tables) {
    describe(table.name, () => {
      it("has exactly the design's columns, types, nullability and defaults", async () => {
        const live = await columns(table.name);
        expect(live.map((c) => c.name)).toEqual(table.columns.map((c) => c.name));
        for (const col of table.columns) {
          const l = live.find((c) => c.name === col.name)!;
          expect({ column: col.name, type: l.type, notNull: l.not_null, def: l.def?.toLowerCase() ?? undefined }).toEqual({
            column: col.name,
            type: col.type,
            notNull: col.notNull,
            def: col.default,
          });
        }
      });

      it("has the design's primary key, unique sets and cascading foreign keys", async () => {
        const live = await constraints(table.name);
        if (table.primaryKey) {
          expect(live.filter((c) => c.type === "p").map((c) => c.def)).toEqual([`PRIMARY KEY (${table.primaryKey})`]);
        }
        const uniques = live.filter((c) => c.type === "u").map((c) => c.def).sort();
        expect(uniques).toEqual(table.uniques.map((cols) => `UNIQUE (${cols.join(", ")})`).sort());
        const fks = live.filter((c) => c.type === "f");
        for (const fk of table.foreignKeys) {
          const match = fks.find((c) => c.def.startsWith(`FOREIGN KEY (${fk.column}) REFERENCES ${fk.references}`));
          expect(match, `${table.name}.${fk.column} -> ${fk.references}`).toBeDefined();
          // "All FK constraints use ON DELETE CASCADE" (the design's integrity rules), even where
          // portfolio_allocations repeats its foreign key without it.
          expect(match!.on_delete).toBe("c");
        }
        expect(fks.every((c) => c.on_delete === "c")).toBe(true);
      });

      it("has every index the design creates on it", async () => {
        const live = await indexes(table.name);
        for (const idx of seed.indexes.filter((i) => i.table === table.name)) {
          const found = live.find(
            (l) => l.columns === idx.columns && l.unique === idx.unique && (l.where ?? undefined) === idx.where,
          );
          expect(found, `${idx.unique ? "unique " : ""}index on ${table.name} (${idx.columns})`).toBeDefined();
        }
      });
    });
  }

  it("has the 1-hour aggregate with the seed's columns", async () => {
    const live = await columns("market_candles_1h");
    expect(live.map((c) => c.name)).toEqual(["bucket", "symbol", "open", "high", "low", "close", "volume"]);
  });
});

describe("constraints the design states in words", () => {
  async function rejects(sql: string, params: unknown[], constraint: string) {
    await expect(pool.query(sql, params)).rejects.toMatchObject({ constraint });
  }

  async function newUser(email: string) {
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO users (email, password_hash) VALUES ($1, 'x') RETURNING id",
      [email],
    );
    return rows[0]!.id;
  }

  it("keeps allocation_pct within 0–100 and correlation_coeff within −1…1", async () => {
    const user = await newUser("checks@example.com");
    for (const pct of [-0.01, 100.01]) {
      await rejects(
        "INSERT INTO portfolio_allocations (user_id, symbol, allocation_pct) VALUES ($1, 'HPG', $2)",
        [user, pct],
        "portfolio_allocations_allocation_pct_check",
      );
    }
    for (const pct of [0, 100]) {
      await pool.query("INSERT INTO portfolio_allocations (user_id, symbol, allocation_pct) VALUES ($1, 'HPG', $2)", [
        user,
        pct,
      ]);
    }
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO value_chain_nodes (name, sector, node_type) VALUES ('Iron ore', 'Commodity', 'Upstream'), ('HPG', 'Steel', 'Midstream') RETURNING id",
    );
    const [a, b] = rows.map((r) => r.id);
    for (const coeff of [-1.0001, 1.0001]) {
      await rejects(
        "INSERT INTO value_chain_edges (source_id, target_id, correlation_coeff) VALUES ($1, $2, $3)",
        [a, b, coeff],
        "value_chain_edges_correlation_coeff_check",
      );
    }
    // Opposite directions: a second a → b edge without a relationship would be a duplicate link (drizzle/0011).
    await pool.query("INSERT INTO value_chain_edges (source_id, target_id, correlation_coeff) VALUES ($1, $2, -1), ($2, $1, 1)", [a, b]);
  });

  it("constrains the enumerated columns", async () => {
    await rejects(
      "INSERT INTO value_chain_nodes (name, sector, node_type) VALUES ('X', 'Steel', 'Sideways')",
      [],
      "value_chain_nodes_node_type_check",
    );
    const user = await newUser("enums@example.com");
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, 'w', '{}') RETURNING id",
      [user],
    );
    await rejects(
      "INSERT INTO workflow_execution_logs (workflow_id, status) VALUES ($1, 'done')",
      [rows[0]!.id],
      "workflow_execution_logs_status_check",
    );
    await rejects(
      "INSERT INTO user_memories (user_id, memory_type, content, embedding) VALUES ($1, 'gossip', 'x', '{0}')",
      [user],
      "user_memories_memory_type_check",
    );
  });

  it("allows one node per symbol, and any number of nodes without one", async () => {
    await pool.query("INSERT INTO value_chain_nodes (symbol, name, sector, node_type) VALUES ('UNQ1', 'A', 'Steel', 'Midstream')");
    await rejects(
      "INSERT INTO value_chain_nodes (symbol, name, sector, node_type) VALUES ('UNQ1', 'B', 'Steel', 'Midstream')",
      [],
      "value_chain_nodes_symbol_idx",
    );
    await pool.query(
      "INSERT INTO value_chain_nodes (name, sector, node_type) VALUES ('Coal', 'Commodity', 'Upstream'), ('Coke', 'Commodity', 'Upstream')",
    );
  });

  it("keeps workflow names unique per user, not across users", async () => {
    const [u1, u2] = [await newUser("names1@example.com"), await newUser("names2@example.com")];
    await pool.query("INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, 'Steel RSI', '{}'), ($2, 'Steel RSI', '{}')", [u1, u2]);
    await rejects(
      "INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, 'Steel RSI', '{}')",
      [u1],
      "workflows_user_id_name_key",
    );
  });

  it("cascades a user's deletion to workflows, their logs, allocations and memories", async () => {
    const user = await newUser("cascade@example.com");
    const other = await newUser("bystander@example.com");
    for (const id of [user, other]) {
      const { rows } = await pool.query<{ id: string }>(
        "INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, 'w', '{}') RETURNING id",
        [id],
      );
      await pool.query("INSERT INTO workflow_execution_logs (workflow_id, status) VALUES ($1, 'success')", [rows[0]!.id]);
      await pool.query("INSERT INTO portfolio_allocations (user_id, symbol, allocation_pct) VALUES ($1, 'VCB', 10)", [id]);
      await pool.query(
        "INSERT INTO user_memories (user_id, memory_type, content, embedding) VALUES ($1, 'analysis', 'x', '{0.1}')",
        [id],
      );
    }
    await pool.query("DELETE FROM users WHERE id = $1", [user]);
    const count = async (userId: string) =>
      (
        await pool.query<{ w: number; l: number; a: number; m: number }>(
          `SELECT (SELECT count(*)::int FROM workflows WHERE user_id = $1) AS w,
                  (SELECT count(*)::int FROM workflow_execution_logs l JOIN workflows w ON w.id = l.workflow_id WHERE w.user_id = $1) AS l,
                  (SELECT count(*)::int FROM portfolio_allocations WHERE user_id = $1) AS a,
                  (SELECT count(*)::int FROM user_memories WHERE user_id = $1) AS m`,
          [userId],
        )
      ).rows[0];
    expect(await count(user)).toEqual({ w: 0, l: 0, a: 0, m: 0 });
    expect(await count(other)).toEqual({ w: 1, l: 1, a: 1, m: 1 });
  });

  it("moves updated_at on every update, even from raw SQL that tries to set it", async () => {
    const user = await newUser("updated@example.com");
    const stamp = async () =>
      (await pool.query<{ updated_at: Date }>("SELECT updated_at FROM users WHERE id = $1", [user])).rows[0]!.updated_at;
    const created = await stamp();
    await pool.query("SELECT pg_sleep(0.05)");
    await pool.query("UPDATE users SET dnse_client_id = 'INV-1' WHERE id = $1", [user]);
    const afterUpdate = await stamp();
    expect(afterUpdate.getTime() - created.getTime()).toBeGreaterThanOrEqual(50);
    await pool.query("UPDATE users SET updated_at = '2000-01-01T00:00:00Z' WHERE id = $1", [user]);
    expect((await stamp()).getTime()).toBeGreaterThanOrEqual(afterUpdate.getTime());
  });
});

describe("db/schema.ts mirrors the live database", () => {
  const drizzleType = (t: string) =>
    t.replace(/^varchar\((\d+)\)$/, "character varying($1)").replace(/^timestamp with time zone$/, "timestamp with time zone");
  const tables = (Object.values(schema) as unknown[]).filter(
    (v): v is PgTable => is(v, PgTable),
  );

  it("declares every table", () => {
    expect(tables.length).toBeGreaterThanOrEqual(10);
  });

  for (const table of tables) {
    const config = getTableConfig(table);
    it(`${config.name}: same columns, types and nullability`, async () => {
      const live = await columns(config.name);
      const declared = config.columns.map((c) => ({ name: c.name, type: drizzleType(c.getSQLType()), notNull: c.notNull }));
      expect(declared.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
        live.map((c) => ({ name: c.name, type: c.type, notNull: c.not_null })).sort((a, b) => a.name.localeCompare(b.name)),
      );
    });
  }
});
