/**
 * Route handlers for signed-in users: 401 JSON when signed out, the session user otherwise. Signed in
 * means the session cookie or a personal API token (`Authorization: Bearer`, app/_lib/session.ts).
 */
import { NextResponse } from "next/server";
import { bearerToken } from "@/lib/auth/api-tokens";
import { canWriteSharedData, SHARED_DATA_FORBIDDEN } from "@/lib/auth/roles";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, outageLogger } from "@/lib/database-faults";
import { getSessionUser, type SessionUser } from "./session";

export const NO_STORE = { "cache-control": "no-store" } as const;

export function json(body: unknown, status = 200): NextResponse {
  return NextResponse.json(body, { status, headers: NO_STORE });
}

export const unauthorized = () => json({ error: "Sign in first." }, 401);
export const INVALID_API_TOKEN =
  "This API token is not valid: unknown, revoked, or its account was deleted. Make a new one under Settings → Account.";
/** Also for rows of other users: their ids must not be told apart from ids that do not exist. */
export const notFound = () => json({ error: "Not found." }, 404);

const logOutage = outageLogger();

/** A database outage answers 503 with a short reason (logged once in a while, not per request); other errors propagate. */
export function databaseUnavailable(err: unknown): NextResponse {
  if (!isDatabaseUnavailable(err)) throw err;
  logOutage(err);
  return NextResponse.json({ error: DATABASE_UNAVAILABLE_MESSAGE }, { status: 503, headers: { ...NO_STORE, "retry-after": "5" } });
}

export function withSessionUser<Ctx>(handler: (request: Request, user: SessionUser, context: Ctx) => Promise<Response>) {
  return async (request: Request, context: Ctx): Promise<Response> => {
    try {
      const user = await getSessionUser(request);
      if (!user) return bearerToken(request.headers.get("authorization")) === undefined ? unauthorized() : json({ error: INVALID_API_TOKEN }, 401);
      return await handler(request, user, context);
    } catch (err) {
      return databaseUnavailable(err);
    }
  };
}

export const forbidden = (message: string = SHARED_DATA_FORBIDDEN) => json({ error: message }, 403);

/** Routes that write the data every user shares (market data, the value chain): admins only (403 otherwise). */
export function withSharedDataWriter<Ctx>(handler: (request: Request, user: SessionUser, context: Ctx) => Promise<Response>) {
  return withSessionUser<Ctx>(async (request, user, context) => (canWriteSharedData(user) ? handler(request, user, context) : forbidden()));
}
