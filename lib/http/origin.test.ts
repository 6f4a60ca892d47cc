/**
 * The origin check of state-changing requests (issue 9, item 7): a request that carries the session
 * cookie and changes something must come from the app's own origin; forwarded headers count only from
 * trusted proxies.
 */
import { describe, expect, it } from "vitest";
import { carriesSessionCookie, checkOrigin, requestIsHttps, type RequestFacts } from "./origin";
import { forwardedValue, trustedProxyCount } from "./trusted-proxies";

const COOKIE = "theme=dark; next-auth.session-token=eyJhbGciOi.abc";

function facts(headers: Record<string, string>, opts: Partial<RequestFacts> = {}): RequestFacts {
  return { url: "http://app.example.vn/api/workflows/1/runs", headers: new Headers({ host: "app.example.vn", cookie: COOKIE, ...headers }), trustedProxies: 0, ...opts };
}

describe("checkOrigin", () => {
  it.each(["POST", "PUT", "PATCH", "DELETE", "post"])("%s with the cookie from the app's own origin passes", (method) => {
    expect(checkOrigin(method, facts({ origin: "http://app.example.vn" }))).toEqual({ ok: true });
  });

  it.each([
    ["another site", "https://evil.example"],
    ["a sibling subdomain", "http://evil.app.example.vn"],
    ["another port of the same host", "http://app.example.vn:8080"],
    ["a look-alike suffix", "http://app.example.vn.evil.example"],
    ["a sandboxed frame (null)", "null"],
    ["garbage", "not a url"],
  ])("refuses %s as foreign", (_label, origin) => {
    expect(checkOrigin("POST", facts({ origin }))).toEqual({ ok: false, reason: "foreign" });
  });

  it("refuses a missing Origin when the cookie is there (browsers always send one on POST)", () => {
    expect(checkOrigin("DELETE", facts({}))).toEqual({ ok: false, reason: "missing" });
  });

  it("refuses the chunked and the __Secure- session cookie alike", () => {
    for (const cookie of ["next-auth.session-token.0=a; next-auth.session-token.1=b", "__Secure-next-auth.session-token=x"]) {
      expect(checkOrigin("POST", facts({ cookie, origin: "https://evil.example" }))).toMatchObject({ ok: false });
    }
  });

  it("lets reads and requests without the session cookie through (nothing to borrow)", () => {
    expect(checkOrigin("GET", facts({ origin: "https://evil.example" }))).toEqual({ ok: true });
    expect(checkOrigin("HEAD", facts({}))).toEqual({ ok: true });
    expect(checkOrigin("POST", facts({ cookie: "theme=dark; next-auth.csrf-token=x", origin: "https://evil.example" }))).toEqual({ ok: true });
    expect(carriesSessionCookie("my-next-auth.session-token=x")).toBe(false);
  });

  it("accepts the https page of the same host and the configured public URL", () => {
    expect(checkOrigin("POST", facts({ origin: "https://app.example.vn" }))).toEqual({ ok: true });
    const behindProxy = facts({ host: "127.0.0.1:3000", origin: "https://quantflow.example.vn" }, { publicUrl: "https://quantflow.example.vn" });
    expect(checkOrigin("POST", behindProxy)).toEqual({ ok: true });
  });

  it("believes X-Forwarded-Host only from a trusted proxy", () => {
    const forged = { host: "127.0.0.1:3000", "x-forwarded-host": "evil.example", origin: "http://evil.example" };
    expect(checkOrigin("POST", facts(forged))).toEqual({ ok: false, reason: "foreign" });
    expect(checkOrigin("POST", facts({ ...forged, "x-forwarded-host": "app.example.vn", origin: "https://app.example.vn" }, { trustedProxies: 1 }))).toEqual({ ok: true });
  });
});

describe("requestIsHttps (the session cookie's Secure flag, HSTS)", () => {
  it("is false over plain http, whatever an untrusted X-Forwarded-Proto claims", () => {
    expect(requestIsHttps(facts({}))).toBe(false);
    expect(requestIsHttps(facts({ "x-forwarded-proto": "https" }))).toBe(false);
  });

  it("follows a trusted TLS proxy's X-Forwarded-Proto", () => {
    expect(requestIsHttps(facts({ "x-forwarded-proto": "https" }, { trustedProxies: 1 }))).toBe(true);
    expect(requestIsHttps(facts({ "x-forwarded-proto": "http" }, { trustedProxies: 1 }))).toBe(false);
    // The client forged "http, …" before the proxy appended what it saw.
    expect(requestIsHttps(facts({ "x-forwarded-proto": "http, https" }, { trustedProxies: 1 }))).toBe(true);
  });

  it("is true for a request that arrived over TLS, or when the public URL is https", () => {
    expect(requestIsHttps(facts({}, { url: "https://app.example.vn/" }))).toBe(true);
    expect(requestIsHttps(facts({}, { publicUrl: "https://app.example.vn" }))).toBe(true);
  });
});

describe("trusted proxies", () => {
  it("reads QUANTFLOW_TRUSTED_PROXIES as a count, 0 when unset or not a count", () => {
    expect(trustedProxyCount(undefined)).toBe(0);
    expect(trustedProxyCount("2")).toBe(2);
    expect(trustedProxyCount("-1")).toBe(0);
    expect(trustedProxyCount("yes")).toBe(0);
  });

  it("takes the entry the outermost trusted proxy wrote", () => {
    expect(forwardedValue("a, b, c", 0)).toBeUndefined();
    expect(forwardedValue("a, b, c", 1)).toBe("c");
    expect(forwardedValue("a, b, c", 2)).toBe("b");
    expect(forwardedValue("a", 3)).toBe("a");
  });
});
