/**
 * The one way server code learns who is signed in. Every server action and route handler calls
 * getSessionUser() (directly or through app/_lib/action.ts and app/_lib/route.ts) and passes the
 * user's id to lib/. A valid cookie of a deleted account, or of a session that was ended (sign-out,
 * password change, an admin; lib/auth/sessions.ts), counts as signed out.
 *
 * Route handlers pass their request: one with `Authorization: Bearer …` is its personal API token's user
 * (lib/auth/api-tokens.ts) or nobody, never the cookie's user.
 */
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getDb } from "@/db/client";
import { findAccount, type AccountUser } from "@/lib/auth/accounts";
import { bearerToken, userForApiToken } from "@/lib/auth/api-tokens";
import { sessionIsLive } from "@/lib/auth/sessions";
import { parseId } from "@/lib/ownership/owned";
import { authOptions } from "./auth-options";

export type SessionUser = AccountUser;

export const getSessionUser = cache(async (request?: Request): Promise<SessionUser | null> => {
  const token = bearerToken(request?.headers.get("authorization"));
  if (token !== undefined) return userForApiToken(getDb(), token);
  const session = await getServerSession(authOptions());
  const id = parseId(session?.user?.id);
  if (!id || !(await sessionIsLive(getDb(), session?.user?.sid, id))) return null;
  return findAccount(getDb(), id);
});
