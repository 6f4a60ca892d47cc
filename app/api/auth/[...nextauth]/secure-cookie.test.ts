/**
 * The session cookie is Secure whenever the app is reached over https (issue 9, item 7): directly, or
 * behind a TLS proxy that says so in X-Forwarded-Proto and is trusted (QUANTFLOW_TRUSTED_PROXIES). A
 * real sign-in through next-auth's route; only Next's request scope (next/headers) is stood in for.
 */
import { createRequire } from "node:module";
import { NextRequest } from "next/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { testDb, uniqueEmail } from "@/test/drizzle";

const edge = vi.hoisted(() => ({ request: null as Request | null, db: undefined as unknown }));
// next-auth reads the request through next/headers with a CommonJS require, which vi.mock does not
// reach: the stand-in goes into that module's exports (Next's own request scope does not exist here).
const nextHeaders = createRequire(import.meta.url)("next/headers") as Record<string, unknown>;
nextHeaders.headers = async () => new Headers(edge.request!.headers);
nextHeaders.cookies = async () => ({
  getAll: () =>
    (edge.request!.headers.get("cookie") ?? "")
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => ({ name: c.slice(0, c.indexOf("=")), value: decodeURIComponent(c.slice(c.indexOf("=") + 1)) })),
});
vi.mock("@/db/client", () => ({ getDb: () => edge.db }));
vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return { ...actual, env: () => ({ ...actual.parseEnv({ NODE_ENV: "production", QUANTFLOW_TRUSTED_PROXIES: process.env.QUANTFLOW_TRUSTED_PROXIES }), NEXTAUTH_SECRET: "s".repeat(40) }) };
});

const { GET, POST } = await import("./route");
const { signUp } = await import("@/lib/auth/accounts");
const PASSWORD = "secure cookie password";
let email: string;

beforeAll(async () => {
  edge.db = testDb();
  email = uniqueEmail("secure-cookie");
  const r = await signUp(edge.db as never, { email, password: PASSWORD, confirmPassword: PASSWORD });
  if (!r.ok) throw new Error("sign-up failed");
});
afterEach(() => vi.unstubAllEnvs());

async function call(handler: typeof GET, path: string, init: { method?: string; headers?: Record<string, string>; body?: string }) {
  const request = new NextRequest(`http://127.0.0.1:3000${path}`, { method: init.method ?? "GET", headers: { host: "127.0.0.1:3000", ...init.headers }, body: init.body });
  edge.request = request;
  const nextauth = path.replace(/^\/api\/auth\//, "").split("?")[0]!.split("/");
  return handler(request, { params: Promise.resolve({ nextauth }) });
}

/** Signs in as next-auth's own form would; answers the Set-Cookie lines. */
async function signIn(headers: Record<string, string>): Promise<string[]> {
  const csrf = await call(GET, "/api/auth/csrf", { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await call(POST, "/api/auth/callback/credentials", {
    method: "POST",
    headers: { ...headers, cookie: csrfCookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password: PASSWORD, json: "true" }).toString(),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie();
}

const sessionCookie = (cookies: string[]) => cookies.find((c) => c.startsWith("next-auth.session-token="));

describe("the session cookie", () => {
  it("over plain http: HttpOnly, SameSite=Lax, not Secure (a browser would drop a Secure cookie on http)", async () => {
    const cookie = sessionCookie(await signIn({}));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it("behind a trusted TLS proxy (X-Forwarded-Proto: https): Secure, under the same name", async () => {
    vi.stubEnv("QUANTFLOW_TRUSTED_PROXIES", "1");
    const cookie = sessionCookie(await signIn({ "x-forwarded-proto": "https" }));
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
  });

  it("an X-Forwarded-Proto from an untrusted client claims nothing", async () => {
    const cookie = sessionCookie(await signIn({ "x-forwarded-proto": "https" }));
    expect(cookie).toBeDefined();
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });
});
