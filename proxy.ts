/**
 * Runs before every page and route of the app (Next 16's proxy, formerly middleware; it runs on Node.js):
 *
 * 1. State-changing requests that carry the session cookie must come from the app's own origin (a
 *    foreign or missing Origin: 403 JSON), so another site cannot act with a visitor's cookie. Server
 *    actions included: Next itself refuses a foreign Origin there, but as a 500.
 * 2. Signed out: pages redirect to /login?callbackUrl=<the page>, API routes answer 401 JSON. Public
 *    paths: lib/auth/public-paths.ts. API requests with `Authorization: Bearer` pass on to the route,
 *    which checks the token (app/_lib/session.ts); they need no Origin (a browser never adds the header).
 *    A valid cookie (next-auth JWT) is enough here; getSessionUser() also checks that the account exists.
 *    An oversized body is refused first, from its Content-Length: a server action's over 1 MB
 *    (app/_lib/action-body-limit.ts), a CSV upload's over 20 MB (app/_lib/csv-upload-limit.ts), so
 *    that Next does not buffer it for nothing (it buffers a body for the proxy before the route runs).
 * 3. Every answer gets the security headers, pages a Content-Security-Policy with a fresh nonce
 *    (lib/http/security-headers.ts).
 */
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE_NAME } from "@/app/_lib/session-cookie";
import { bearerToken } from "@/lib/auth/api-tokens";
import { actionBodyTooLarge } from "@/app/_lib/action-body-limit";
import { csvUploadTooLarge } from "@/app/_lib/csv-upload-limit";
import { isApiPath, isPublicPath } from "@/lib/auth/public-paths";
import { env } from "@/lib/env";
import { checkOrigin, ORIGIN_REFUSED, requestIsHttps, type RequestFacts } from "@/lib/http/origin";
import { contentSecurityPolicy, NONCE_HEADER, newNonce, securityHeaders } from "@/lib/http/security-headers";
import { trustedProxyCount } from "@/lib/http/trusted-proxies";

const NO_STORE = { "cache-control": "no-store" };

export default async function proxy(request: NextRequest): Promise<Response> {
  const config = env();
  const facts: RequestFacts = { url: request.url, headers: request.headers, trustedProxies: trustedProxyCount(), publicUrl: config.NEXTAUTH_URL };
  const https = requestIsHttps(facts);
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: config.NODE_ENV === "development", https });
  const finish = <R extends Response>(response: R): R => {
    for (const [name, value] of Object.entries(securityHeaders({ https }))) response.headers.set(name, value);
    response.headers.set("content-security-policy", csp);
    return response;
  };
  const tooLarge = actionBodyTooLarge(request) ?? csvUploadTooLarge(request);
  if (tooLarge) return finish(tooLarge);
  const { pathname, search } = request.nextUrl;
  const api = isApiPath(pathname);
  const bearer = api && bearerToken(request.headers.get("authorization")) !== undefined;

  if (!bearer) {
    const verdict = checkOrigin(request.method, facts);
    if (!verdict.ok) return finish(NextResponse.json({ error: ORIGIN_REFUSED[verdict.reason] }, { status: 403, headers: NO_STORE }));
    if (!isPublicPath(pathname)) {
      const token = await getToken({ req: request, secret: config.NEXTAUTH_SECRET, cookieName: SESSION_COOKIE_NAME });
      if (!token) {
        if (api) return finish(NextResponse.json({ error: "Sign in first." }, { status: 401, headers: NO_STORE }));
        const signIn = new URL("/login", request.nextUrl.origin);
        signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
        return finish(NextResponse.redirect(signIn));
      }
    }
  }

  // Next reads the nonce for its own scripts from the request's policy; the root layout reads x-nonce.
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set("content-security-policy", csp);
  return finish(NextResponse.next({ request: { headers } }));
}

export const config = {
  // Everything except Next's build assets and files with an extension (icons, images, robots.txt).
  matcher: ["/((?!_next/static|_next/image|.*\\.[a-zA-Z0-9]+$).*)"],
};
