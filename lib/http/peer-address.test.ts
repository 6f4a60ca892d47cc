/** The socket's address reaches the app as PEER_HEADER, whatever the client sends (a real HTTP server). */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER } from "../auth/client-address";
import { installPeerAddressHeader } from "./peer-address";

installPeerAddressHeader();
const server = http.createServer((req, res) => {
  res.end(JSON.stringify({ peer: req.headers[PEER_HEADER], client: clientAddress(req.headers, 0), behindOne: clientAddress(req.headers, 1) }));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function get(headers: Record<string, string>) {
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers });
  return (await res.json()) as { peer: string; client: string; behindOne: string };
}

describe("installPeerAddressHeader", () => {
  it("overwrites a forged peer header and lets a rotated X-Forwarded-For change nothing (no trusted proxy)", async () => {
    for (const forged of ["203.0.113.1", "203.0.113.2", "1.2.3.4, 5.6.7.8"]) {
      const seen = await get({ [PEER_HEADER]: "203.0.113.99", "x-forwarded-for": forged });
      expect(seen.peer).toBe("127.0.0.1");
      expect(seen.client).toBe("127.0.0.1");
    }
  });

  it("behind one trusted proxy, takes the entry that proxy appended", async () => {
    expect((await get({ "x-forwarded-for": "6.6.6.6, 198.51.100.7" })).behindOne).toBe("198.51.100.7");
  });
});
