/**
 * The session cookie's one name, whether the app is reached over http or https. next-auth's default
 * switches to a `__Secure-` name when NEXTAUTH_URL is https, which every reader (the proxy, every
 * getServerSession) would then have to know per request; a fixed name lets only the writer (the
 * sign-in route) decide, per request, whether the cookie is Secure.
 */
import type { CookiesOptions } from "next-auth";

export const SESSION_COOKIE_NAME = "next-auth.session-token";

export function sessionCookies(secure: boolean): Partial<CookiesOptions> {
  return { sessionToken: { name: SESSION_COOKIE_NAME, options: { httpOnly: true, sameSite: "lax", path: "/", secure } } };
}
