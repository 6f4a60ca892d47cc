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
 * Where to go after signing in: a path of this app only, and never back to the sign-in or sign-up page.
 * The answer is the *normalised* path: "/..//evil.example" normalises to "//evil.example", which a
 * browser reads as another host, so the check runs on what the URL parser produced, not on the input.
 */
export function safeCallbackPath(value: string | null | undefined, fallback = "/charts"): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  try {
    const base = "http://quantflow.invalid";
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Two leading slashes (or a backslash, which browsers treat as one) make a protocol-relative address.
    if (!path.startsWith("/") || /^\/[\/\\]/.test(path)) return fallback;
    // A browser resolves the Location again: it must land on the same path of the same origin.
    const again = new URL(path, base);
    if (again.origin !== base || `${again.pathname}${again.search}${again.hash}` !== path) return fallback;
    if (url.pathname === "/login" || url.pathname === "/signup") return fallback;
    return path;
  } catch {
    return fallback;
  }
}
