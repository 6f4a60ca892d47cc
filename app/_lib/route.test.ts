/**
 * Route handlers during a database outage (issue 9, item 3): a short 503 instead of a 500 with a stack
 * trace per request. The outage is real: a pool on a port where nothing listens.
 */
import net from "node:net";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";

const edge = vi.hoisted(() => ({ session: async (): Promise<{ id: string; email: string } | null> => ({ id: "00000000-0000-4000-8000-000000000001", email: "a@example.vn" }) }));
vi.mock("./session", () => ({ getSessionUser: () => edge.session() }));
const { withSessionUser } = await import("./route");
const { isDatabaseUnavailable } = await import("@/lib/database-faults");

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const deadPool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${await closedPort()}/x`, connectionTimeoutMillis: 500 });
afterAll(() => deadPool.end());
const request = () => new Request("http://localhost/api/x");

describe("withSessionUser during a database outage", () => {
  it("answers 503 with a short reason when the handler's query cannot reach the database", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const handler = withSessionUser(async () => {
      await deadPool.query("SELECT 1");
      return new Response("never");
    });
    const responses = await Promise.all(Array.from({ length: 5 }, () => handler(request(), {})));
    for (const res of responses) {
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      const body = (await res.json()) as { error: string };
      expect(body.error).toMatch(/database cannot be reached/);
      expect(body.error).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    }
    // One line for the outage, not one stack trace per request.
    expect(errors.mock.calls.length).toBeLessThanOrEqual(1);
    errors.mockRestore();
  });

  it("answers 503 when the session itself cannot be looked up", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    edge.session = async () => {
      await deadPool.query("SELECT 1");
      return null;
    };
    try {
      const res = await withSessionUser(async () => new Response("never"))(request(), {});
      expect(res.status).toBe(503);
    } finally {
      edge.session = async () => ({ id: "00000000-0000-4000-8000-000000000001", email: "a@example.vn" });
      errors.mockRestore();
    }
  });

  it("lets a bug stay a bug: other errors are not disguised as an outage", async () => {
    const handler = withSessionUser(async () => {
      throw new TypeError("x is undefined");
    });
    await expect(handler(request(), {})).rejects.toThrow("x is undefined");
  });
});

describe("isDatabaseUnavailable", () => {
  it("recognises a refused connection and a terminated one, not a SQL error", async () => {
    const refused = await deadPool.query("SELECT 1").catch((e: unknown) => e);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: "42601" });
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });
});
