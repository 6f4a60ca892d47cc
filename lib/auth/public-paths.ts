/**
 * What a signed-out visitor may open: the landing page, sign-in, sign-up, the health check, next-auth's
 * own endpoints and static files. Everything else of the app needs a session (proxy.ts).
 */
const PUBLIC_EXACT = new Set(["/", "/login", "/signup", "/api/health", "/favicon.ico", "/icon.svg", "/robots.txt"]);
const PUBLIC_PREFIXES = ["/api/auth/", "/_next/"];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_EXACT.has(pathname) || PUBLIC_PREFIXES.some((p) => pathname.startsWith(p));
}

/** API paths answer a signed-out request with 401 JSON instead of a redirect to the sign-in page. */
export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

/**
 * Where to go after signing in: a path of this app only (never another site, "//evil.example" or
 * "/\\evil.example"), and never back to the sign-in or sign-up page.
 */
export function safeCallbackPath(value: string | null | undefined, fallback = "/charts"): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  try {
    const url = new URL(value, "http://quantflow.invalid");
    if (url.origin !== "http://quantflow.invalid") return fallback;
    if (url.pathname === "/login" || url.pathname === "/signup") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
