/**
 * The sign-in page offers the demo account only while it exists with its published password
 * (lib/demo/account.ts): an installation that never seeded it, deleted it, or changed its password
 * shows nothing, so the README's password never invites anyone into a real account.
 *
 * The check costs one argon2 verify (≈19 MiB, tens of ms) and the page is public: its answer is kept
 * per stored hash, so it is computed again only when the password changes, however many visit.
 */
import { verifyPassword } from "@/lib/auth/password";
import type { Queryable } from "@/lib/market/queryable";
import { DEMO_EMAIL, DEMO_PASSWORD } from "./account";

export interface DemoOffer {
  email: string;
  password: string;
}

let checked: { hash: string; published: Promise<boolean> } | undefined;

export async function demoAccountOffer(q: Queryable): Promise<DemoOffer | null> {
  const { rows } = await q.query("SELECT password_hash FROM users WHERE email = $1", [DEMO_EMAIL]);
  const hash = rows[0]?.password_hash;
  if (typeof hash !== "string") return null;
  if (checked?.hash !== hash) checked = { hash, published: verifyPassword(hash, DEMO_PASSWORD).catch(() => false) };
  return (await checked.published) ? { email: DEMO_EMAIL, password: DEMO_PASSWORD } : null;
}
