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
});
