/** lib/redact.ts: a token is blanked in every form a server might echo it in. */
import { describe, expect, it } from "vitest";
import { redactSecret } from "./redact";

const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwNjRDMDAwMTE1In0.Sig+na/ture_-x==";

describe("redactSecret", () => {
  it.each([
    ["as given", token],
    ["upper-cased", token.toUpperCase()],
    ["lower-cased", token.toLowerCase()],
    ["URL-encoded", encodeURIComponent(token)],
    ["URL-encoded, lower-case escapes", encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ["URL-encoded twice", encodeURIComponent(encodeURIComponent(token))],
    ["JSON-escaped", JSON.stringify(token).slice(1, -1)],
    ["base64", Buffer.from(token).toString("base64")],
    ["base64url", Buffer.from(token).toString("base64url")],
  ])("blanks the token %s", (_form, echoed) => {
    const out = redactSecret(`Invalid token: ${echoed} (retry)`, token);
    expect(out).toContain("[token]");
    expect(out).not.toContain(echoed);
    expect(out.startsWith("Invalid token: ")).toBe(true);
    expect(out.endsWith(" (retry)")).toBe(true);
  });

  it.each([0, 1, 2])("blanks the token base64-encoded after %i other bytes (inside a longer header)", (extra) => {
    const header = Buffer.from(`${"u".repeat(extra)}Bearer ${token}`).toString("base64");
    const out = redactSecret(`Authorization: Basic ${header}`, token);
    expect(out).toContain("[token]");
    // At most a couple of characters at each edge of the encoded token remain: never a decodable token.
    expect(Buffer.from(out.replace(/^Authorization: Basic /, "").replace("[token]", ""), "base64").toString()).not.toContain(token.slice(4, -4));
  });

  it("leaves text without the token alone, and does nothing for an empty token", () => {
    expect(redactSecret("Token is expired", token)).toBe("Token is expired");
    expect(redactSecret("Token is expired", "")).toBe("Token is expired");
  });
});
