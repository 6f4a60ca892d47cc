/**
 * Guards every page and route of the app (Next 16's proxy, formerly middleware; it runs on Node.js).
 * Signed out: pages redirect to /login?callbackUrl=<the page>, API routes answer 401 JSON. Public
 * paths: lib/auth/public-paths.ts. A valid session cookie (next-auth JWT) is enough here; server code
 * still asks getSessionUser() (app/_lib/session.ts), which also checks that the account exists.
 */
import { withAuth, type NextRequestWithAuth } from "next-auth/middleware";
import { NextResponse } from "next/server";
import { actionBodyTooLarge } from "@/app/_lib/action-body-limit";
import { isApiPath, isPublicPath } from "@/lib/auth/public-paths";
import { env } from "@/lib/env";

export default withAuth(
  function proxy(request: NextRequestWithAuth) {
    const tooLarge = actionBodyTooLarge(request);
    if (tooLarge) return tooLarge;
    if (!request.nextauth.token && !isPublicPath(request.nextUrl.pathname)) {
      return NextResponse.json({ error: "Sign in first." }, { status: 401, headers: { "cache-control": "no-store" } });
    }
    return NextResponse.next();
  },
  {
    secret: env().NEXTAUTH_SECRET,
    pages: { signIn: "/login" },
    callbacks: {
      // Pages without a session go to the sign-in page (false); API routes get their 401 above (true).
      authorized: ({ req, token }) => !!token || isPublicPath(req.nextUrl.pathname) || isApiPath(req.nextUrl.pathname),
    },
  },
);

export const config = {
  // Everything except Next's build assets and files with an extension (icons, images, robots.txt).
  matcher: ["/((?!_next/static|_next/image|.*\\.[a-zA-Z0-9]+$).*)"],
};
