/** The demo analyst: the account the demo data comes with, and the starter workflows it is given. */
import type pg from "pg";
import { hashPassword } from "@/lib/auth/password";
import { ensureStarterWorkflows } from "@/lib/workflows/templates";

export const DEMO_EMAIL = "demo@quantflow.local";
export const DEMO_PASSWORD = "quantflow-demo";

/** Creates the demo analyst account unless an account with its email exists (its password is then left as is). */
export async function ensureDemoUser(pool: pg.Pool): Promise<"created" | "existed"> {
  const existing = await pool.query("SELECT 1 FROM users WHERE email = $1", [DEMO_EMAIL]);
  if (existing.rowCount) return "existed";
  const hash = await hashPassword(DEMO_PASSWORD);
  const inserted = await pool.query(
    "INSERT INTO users (email, password_hash) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING",
    [DEMO_EMAIL, hash],
  );
  // Like a signed-up account: the first account of an installation is its admin (lib/auth/roles.ts).
  await pool.query(
    `INSERT INTO user_roles (user_id, role)
     SELECT id, CASE WHEN (SELECT count(*) FROM users) = 1 THEN 'admin' ELSE 'analyst' END FROM users WHERE email = $1
     ON CONFLICT (user_id) DO NOTHING`,
    [DEMO_EMAIL],
  );
  return inserted.rowCount ? "created" : "existed";
}

/** The starter workflows of the demo analyst (none when the account does not exist); how many were added. */
export async function ensureDemoWorkflows(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [DEMO_EMAIL]);
  return rows[0] ? ensureStarterWorkflows(pool, rows[0].id) : 0;
}
