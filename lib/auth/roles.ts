/**
 * Roles: who may write the data every user of an installation shares (market data, the value chain)
 * and manage accounts. Two roles: admin and analyst. An account's role is its row in user_roles (none =
 * analyst); the e-mails in QUANTFLOW_ADMINS are admins whatever their row says, so an operator can
 * always get in. The first account of an installation is made an admin at sign-up (lib/auth/accounts.ts).
 */
import { sql } from "drizzle-orm";
import type { Database } from "@/db/database";
import { ROLES } from "@/db/schema";
import { env } from "../env";

export type Role = (typeof ROLES)[number];
export { ROLES };

/** Where an account's role comes from, for the users page. */
export type RoleSource = "stored" | "QUANTFLOW_ADMINS";

export function effectiveRole(stored: Role | null | undefined, email: string, admins: readonly string[] = env().QUANTFLOW_ADMINS): Role {
  return admins.includes(email.toLowerCase()) ? "admin" : (stored ?? "analyst");
}

/** The one check for writing shared data: imports, backfills, corrections, the value chain. */
export function canWriteSharedData(user: { role: Role }): boolean {
  return user.role === "admin";
}

export const SHARED_DATA_FORBIDDEN =
  "Only an admin may change the market data every user shares. Ask an admin of this installation to do it, or to make you an admin.";

export class ForbiddenError extends Error {
  constructor(message = SHARED_DATA_FORBIDDEN) {
    super(message);
    this.name = "ForbiddenError";
  }
}

export interface AccountRow {
  id: string;
  email: string;
  createdAt: Date | null;
  role: Role;
  source: RoleSource;
}

/** Every account with its role, oldest first: admins only. */
export async function listAccounts(db: Database, actor: { role: Role }, admins: readonly string[] = env().QUANTFLOW_ADMINS): Promise<AccountRow[]> {
  if (actor.role !== "admin") throw new ForbiddenError("Only an admin may list the accounts of this installation.");
  const { rows } = await db.execute<{ id: string; email: string; created_at: Date | null; role: Role | null }>(
    sql`SELECT u.id, u.email, u.created_at, r.role FROM users u LEFT JOIN user_roles r ON r.user_id = u.id ORDER BY u.created_at NULLS LAST, u.email`,
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    createdAt: r.created_at ? new Date(r.created_at) : null,
    role: effectiveRole(r.role, r.email, admins),
    source: admins.includes(r.email.toLowerCase()) ? "QUANTFLOW_ADMINS" : "stored",
  }));
}

export type SetRoleResult = { ok: true } | { ok: false; error: "forbidden" | "not_found" | "last_admin" | "from_environment" };

// One role change at a time, so two admins demoting each other cannot leave the installation without one.
const ROLE_LOCK = 7_204_815_101;

/**
 * Makes `targetId` an admin or an analyst. Only an admin may; the last admin (counting
 * QUANTFLOW_ADMINS) cannot be demoted; an e-mail in QUANTFLOW_ADMINS stays admin (say so).
 */
export async function setRole(
  db: Database,
  actor: { id: string; role: Role },
  targetId: string,
  role: Role,
  admins: readonly string[] = env().QUANTFLOW_ADMINS,
): Promise<SetRoleResult> {
  if (actor.role !== "admin") return { ok: false, error: "forbidden" };
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${ROLE_LOCK})`);
    const { rows } = await tx.execute<{ email: string }>(sql`SELECT email FROM users WHERE id = ${targetId}`);
    const target = rows[0];
    if (!target) return { ok: false, error: "not_found" } as const;
    if (role === "analyst" && admins.includes(target.email.toLowerCase())) return { ok: false, error: "from_environment" } as const;
    if (role === "analyst") {
      const { rows: others } = await tx.execute<{ email: string; role: Role | null }>(
        sql`SELECT u.email, r.role FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.id <> ${targetId}`,
      );
      if (!others.some((o) => effectiveRole(o.role, o.email, admins) === "admin")) return { ok: false, error: "last_admin" } as const;
    }
    await tx.execute(
      sql`INSERT INTO user_roles (user_id, role, granted_by) VALUES (${targetId}, ${role}, ${actor.id})
          ON CONFLICT (user_id) DO UPDATE SET role = EXCLUDED.role, granted_by = EXCLUDED.granted_by, granted_at = now()`,
    );
    return { ok: true } as const;
  });
}
