/** The DNSE /me client against the local stand-in (test/dnse-stand-in.ts): every answer and failure. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnseStandIn, standInInvestor, type DnseStandIn } from "@/test/dnse-stand-in";
import { fetchDnseInvestor } from "./dnse-user";

let dnse: DnseStandIn;
beforeAll(async () => {
  dnse = await startDnseStandIn();
});
afterAll(() => dnse.close());

describe("fetchDnseInvestor", () => {
  it("sends the token as a Bearer header and reads the investor", async () => {
    const result = await fetchDnseInvestor(dnse.url, "standin-ok-A");
    const expected = standInInvestor("A");
    expect(result).toEqual({ ok: true, investor: { investorId: expected.investorId, name: expected.name, custodyCode: expected.custodyCode } });
    expect(dnse.requests.at(-1)).toEqual({ path: "/dnse-user-service/api/me", authorization: "Bearer standin-ok-A" });
  });

  it("passes on DNSE's 401 message and says what to do", async () => {
    const result = await fetchDnseInvestor(dnse.url, "standin-expired-1");
    expect(result).toEqual({
      ok: false,
      kind: "unauthorized",
      message: "DNSE refused the token (HTTP 401: Token is expired). It may have expired (DNSE tokens last about 8 hours): paste a new one.",
    });
  });

  it("never repeats the token, even when DNSE's message does", async () => {
    const token = "standin-echo-SECRET-TOKEN-1234";
    const result = await fetchDnseInvestor(dnse.url, token);
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
    expect(await fetchDnseInvestor(dnse.url, "standin-down-1")).toMatchObject({ ok: false, kind: "unavailable", message: expect.stringContaining("HTTP 500") });
  });

  it("gives up after the timeout", async () => {
    const started = Date.now();
    const result = await fetchDnseInvestor(dnse.url, "standin-slow-1", { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ ok: false, kind: "timeout" });
  });

  it("refuses an answer that is not JSON, or JSON without an investor", async () => {
    expect(await fetchDnseInvestor(dnse.url, "standin-garbage-1")).toMatchObject({ ok: false, kind: "malformed" });
    expect(await fetchDnseInvestor(dnse.url, "standin-noid-1")).toMatchObject({ ok: false, kind: "malformed" });
  });

  it("reports an address nothing answers on as unreachable", async () => {
    const closed = await startDnseStandIn();
    await closed.close();
    expect(await fetchDnseInvestor(closed.url, "standin-ok-x")).toMatchObject({ ok: false, kind: "unreachable" });
  });
});
