/** The DNSE user-service clients (sign-in and /me) against the local stand-in (test/dnse-stand-in.ts): every answer and failure. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnseStandIn, standInInvestor, type DnseStandIn } from "@/test/dnse-stand-in";
import { parseEnv } from "@/lib/env";
import { dnseLogin, DnseLoginError, fetchDnseInvestor } from "./dnse-user";

let dnse: DnseStandIn;
beforeAll(async () => {
  dnse = await startDnseStandIn();
});
afterAll(() => dnse.close());

describe("fetchDnseInvestor", () => {
  it("sends the token as a Bearer header and reads the investor", async () => {
    const result = await fetchDnseInvestor(dnse.userServiceUrl, "standin-ok-A");
    const expected = standInInvestor("A");
    expect(result).toEqual({ ok: true, investor: { investorId: expected.investorId, name: expected.name, custodyCode: expected.custodyCode } });
    expect(dnse.requests.at(-1)).toEqual({ path: "/user-service/api/me", authorization: "Bearer standin-ok-A" });
  });

  it("passes on DNSE's 401 message and says what to do", async () => {
    const result = await fetchDnseInvestor(dnse.userServiceUrl, "standin-expired-1");
    expect(result).toEqual({
      ok: false,
      kind: "unauthorized",
      message: "DNSE refused the token (HTTP 401: Token is expired). It may have expired (DNSE tokens last about 8 hours): paste a new one.",
    });
  });

  it("never repeats the token, even when DNSE's message does", async () => {
    const token = "standin-echo-SECRET-TOKEN-1234";
    const result = await fetchDnseInvestor(dnse.userServiceUrl, token);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("SECRET-TOKEN");
    expect(JSON.stringify(result)).toContain("[token]");
  });

  it.each([
    ["upper-cased", (t: string) => t.toUpperCase()],
    ["URL-encoded", (t: string) => encodeURIComponent(t)],
    ["base64-encoded", (t: string) => Buffer.from(t).toString("base64")],
  ])("never repeats the token %s either", async (_form, encode) => {
    const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwNjRDIn0.s+g/ab==";
    const echo: typeof fetch = async () => Response.json({ message: `Invalid token ${encode(token)}` }, { status: 401 });
    const result = await fetchDnseInvestor("http://dnse.invalid", token, { fetch: echo });
    expect(result).toMatchObject({ ok: false, kind: "unauthorized" });
    expect(JSON.stringify(result)).not.toContain(encode(token));
    expect(JSON.stringify(result)).toContain("Invalid token [token]");
  });

  it("reports a 500 as DNSE having trouble", async () => {
    expect(await fetchDnseInvestor(dnse.userServiceUrl, "standin-down-1")).toMatchObject({ ok: false, kind: "unavailable", message: expect.stringContaining("HTTP 500") });
  });

  it("gives up after the timeout", async () => {
    const started = Date.now();
    const result = await fetchDnseInvestor(dnse.userServiceUrl, "standin-slow-1", { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ ok: false, kind: "timeout" });
  });

  it("refuses an answer that is not JSON, or JSON without an investor", async () => {
    expect(await fetchDnseInvestor(dnse.userServiceUrl, "standin-garbage-1")).toMatchObject({ ok: false, kind: "malformed" });
    expect(await fetchDnseInvestor(dnse.userServiceUrl, "standin-noid-1")).toMatchObject({ ok: false, kind: "malformed" });
  });

  it("reports an address nothing answers on as unreachable", async () => {
    const closed = await startDnseStandIn();
    await closed.close();
    expect(await fetchDnseInvestor(closed.userServiceUrl, "standin-ok-x")).toMatchObject({ ok: false, kind: "unreachable" });
  });
});

describe("DNSE_USER_SERVICE_URL", () => {
  it("defaults to the KRX documentation's user service, apart from the chart API's host", () => {
    const e = parseEnv({});
    expect(e.DNSE_USER_SERVICE_URL).toBe("https://api.dnse.com.vn/user-service");
    expect(e.DNSE_BASE_URL).toBe("https://services.entrade.com.vn");
    expect(parseEnv({ DNSE_USER_SERVICE_URL: "http://127.0.0.1:3199/user-service/" }).DNSE_USER_SERVICE_URL).toBe("http://127.0.0.1:3199/user-service");
    expect(() => parseEnv({ DNSE_USER_SERVICE_URL: "ftp://x" })).toThrow(/DNSE_USER_SERVICE_URL/);
  });
});

describe("dnseLogin", () => {
  it("POSTs username and password to {url}/api/auth and answers the token", async () => {
    const token = await dnseLogin(dnse.userServiceUrl, "064C000115", "standin-ok-feed");
    expect(dnse.requests.at(-1)?.path).toBe("/user-service/api/auth");
    expect(token.split(".")).toHaveLength(3);
    // The token it gave works on /me at the documented path.
    expect(await fetchDnseInvestor(dnse.userServiceUrl, token)).toMatchObject({ ok: true, investor: { investorId: "0001000115" } });
  });

  it("says in words why a sign-in failed, never with the password", async () => {
    const refused = dnseLogin(dnse.userServiceUrl, "064C000115", "wrong-password-42");
    await expect(refused).rejects.toThrow(DnseLoginError);
    await expect(refused).rejects.toThrow(/DNSE refused the sign-in of 064C000115 \(HTTP 401: Invalid username or password\): check DNSE_USERNAME and DNSE_PASSWORD/);
    await expect(refused).rejects.not.toThrow(/wrong-password-42/);
    await expect(dnseLogin(dnse.userServiceUrl, "u", "standin-down")).rejects.toThrow(/answered HTTP 500/);
    await expect(dnseLogin(dnse.userServiceUrl, "u", "standin-garbage")).rejects.toThrow(/not JSON \(is DNSE_USER_SERVICE_URL right\?\)/);
    await expect(dnseLogin(dnse.userServiceUrl, "u", "standin-notoken")).rejects.toThrow(/has no token/);
    // The old, pre-KRX path is not where the stand-in (or DNSE's documentation) has it.
    await expect(dnseLogin(`${dnse.url}/dnse-user-service`, "u", "standin-ok-x")).rejects.toThrow(/HTTP 404/);
    const closed = await startDnseStandIn();
    await closed.close();
    await expect(dnseLogin(closed.userServiceUrl, "u", "standin-ok-x")).rejects.toThrow(/could not reach DNSE's user service .* Check DNSE_USER_SERVICE_URL/);
  });
});
