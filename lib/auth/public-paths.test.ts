import { describe, expect, it } from "vitest";
import { isApiPath, isPublicPath, safeCallbackPath } from "./public-paths";

describe("isPublicPath", () => {
  it.each(["/", "/login", "/signup", "/api/health", "/api/auth/session", "/api/auth/callback/credentials", "/_next/static/x.js", "/icon.svg"])(
    "lets a signed-out visitor open %s",
    (p) => expect(isPublicPath(p)).toBe(true),
  );

  it.each(["/charts", "/charts/HPG", "/settings", "/settings/broker", "/settings/account", "/workflows", "/api/account", "/api/broker", "/api/broker/test", "/api/healthz", "/login/x", "/api/authx"])(
    "guards %s",
    (p) => expect(isPublicPath(p)).toBe(false),
  );

  it("tells API paths from pages", () => {
    expect(isApiPath("/api/broker")).toBe(true);
    expect(isApiPath("/apiary")).toBe(false);
  });
});

describe("safeCallbackPath", () => {
  it("keeps a path of this app with its query", () => {
    expect(safeCallbackPath("/charts/HPG?tf=1D")).toBe("/charts/HPG?tf=1D");
    expect(safeCallbackPath("/settings/broker")).toBe("/settings/broker");
  });

  it.each([undefined, null, "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/login", "/signup?x=1"])(
    "falls back to /charts for %j",
    (v) => expect(safeCallbackPath(v)).toBe("/charts"),
  );

  // Paths that only become another origin once dot segments, backslashes or control characters are
  // normalised, as a browser does when it follows the Location header (issue 9, item 1).
  it.each([
    "/..//evil.example",
    "/.//evil.example",
    "/charts/../..//evil.example",
    "/charts/./../..//evil.example/x?y=1",
    "/../\\evil.example",
    "/..\\/evil.example",
    "/./\\evil.example",
    "/%2e%2e//evil.example",
    "/charts/%2E%2E/%2e%2e//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/ /evil.example",
    "/..//evil.example@good",
    "/..///evil.example",
    "/..//%5Cevil.example",
  ])("never leaves the app's origin for %j", (v) => {
    const out = safeCallbackPath(v);
    // What a browser does with the answer: resolve it against the app's own address.
    expect(new URL(out, "https://app.example").origin).toBe("https://app.example");
    expect(out.startsWith("//")).toBe(false);
    expect(out.startsWith("/\\")).toBe(false);
  });

  it("keeps the normalised path when it stays on the app", () => {
    expect(safeCallbackPath("/charts/../workflows")).toBe("/workflows");
    expect(safeCallbackPath("/charts/./HPG?r=1h#x")).toBe("/charts/HPG?r=1h#x");
  });
});
