/**
 * proxy.ts as an attacker meets it (issue 9, item 7): every answer carries the security headers, a
 * page's Content-Security-Policy has a fresh nonce handed to Next, and a state-changing request with
 * the session cookie from another origin (or none) is refused with a clear 403 before any handler runs.
 */
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";

const edge = vi.hoisted(() => ({ nodeEnv: "production" }));
vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return { ...actual, env: () => ({ ...actual.parseEnv({ NODE_ENV: edge.nodeEnv, QUANTFLOW_TRUSTED_PROXIES: process.env.QUANTFLOW_TRUSTED_PROXIES }), NEXTAUTH_SECRET: "x".repeat(40) }) };
});
const { default: proxy } = await import("@/proxy");

const COOKIE = "next-auth.session-token=not-a-valid-jwt";
const call = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  proxy(new NextRequest(`http://127.0.0.1:3000${path}`, { method: init.method ?? "GET", headers: { host: "127.0.0.1:3000", ...init.headers } }));

describe("security headers", () => {
  it("every answer carries them, HSTS only over https", async () => {
    for (const res of [await call("/login"), await call("/charts"), await call("/api/candles")]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("permissions-policy")).toContain("camera=()");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("a page's policy allows only scripts with this request's nonce, and Next gets the nonce", async () => {
    const [a, b] = [await call("/login"), await call("/login")];
    const nonceOf = (res: Response) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonceOf(a)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOf(a)).not.toBe(nonceOf(b));
    const csp = a.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("object-src 'none'");
    // NextResponse.next() forwards the rewritten request headers as x-middleware-request-*.
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(nonceOf(a));
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
  });

  it("only the development server allows eval (React's debugging aids need it)", async () => {
    expect((await call("/login")).headers.get("content-security-policy")).not.toContain("unsafe-eval");
    edge.nodeEnv = "development";
    try {
      expect((await call("/login")).headers.get("content-security-policy")).toContain("'strict-dynamic' 'unsafe-eval'");
    } finally {
      edge.nodeEnv = "production";
    }
  });

  it("behind a trusted TLS proxy, HSTS and upgrade-insecure-requests", async () => {
    vi.stubEnv("QUANTFLOW_TRUSTED_PROXIES", "1");
    try {
      const res = await call("/login", { headers: { "x-forwarded-proto": "https" } });
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d{8}/);
      expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    } finally {
      vi.unstubAllEnvs();
    }
    // Untrusted, the same header claims nothing.
    expect((await call("/login", { headers: { "x-forwarded-proto": "https" } })).headers.get("strict-transport-security")).toBeNull();
  });
});

describe("origin check", () => {
  it.each(["POST", "PUT", "PATCH", "DELETE"])("%s /api/* with the cookie from another site: 403 JSON saying why", async (method) => {
    const res = await call("/api/workflows/00000000-0000-4000-8000-000000000000/runs", { method, headers: { cookie: COOKIE, origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect((await res.json()).error).toMatch(/another site.*Authorization: Bearer/);
  });

  it("a missing Origin with the cookie: 403", async () => {
    const res = await call("/api/broker/test", { method: "POST", headers: { cookie: COOKIE } });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/no Origin header/);
  });

  it("a server action (POST to a page) from another site: 403, not Next's 500", async () => {
    const res = await call("/workflows", { method: "POST", headers: { cookie: COOKIE, origin: "https://evil.example", "next-action": "abc123" } });
    expect(res.status).toBe(403);
  });

  it("the app's own origin passes the check (the cookie is then checked: this one is not valid, 401)", async () => {
    const res = await call("/api/broker/test", { method: "POST", headers: { cookie: COOKIE, origin: "http://127.0.0.1:3000" } });
    expect(res.status).toBe(401);
  });

  it("a Bearer request needs no Origin and no cookie: it goes on to the route, which checks the token", async () => {
    const res = await call("/api/broker/test", { method: "POST", headers: { authorization: "Bearer qf_whatever" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-middleware-next")).toBe("1");
    // Only API routes: a page is never served to a bearer token.
    const page = await call("/charts", { headers: { authorization: "Bearer qf_whatever" } });
    expect(page.status).toBe(307);
  });

  it("signed out: pages redirect to sign-in with the page as callback, API routes answer 401", async () => {
    const page = await call("/charts/HPG?tf=1D");
    expect(page.status).toBe(307);
    expect(new URL(page.headers.get("location")!).searchParams.get("callbackUrl")).toBe("/charts/HPG?tf=1D");
    const api = await call("/api/candles");
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: "Sign in first." });
  });
});
