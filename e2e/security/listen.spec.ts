import os from "node:os";
import { expect, test } from "@playwright/test";

/**
 * `npm start` listens on 127.0.0.1 unless HOST says otherwise (lib/listen-host.ts): the README publishes
 * the demo password, so a laptop's server must not answer the network it sits on. The e2e server is
 * started with no HOST, as a person would start it.
 */
test("the server is not reachable on a non-loopback address by default", async ({ baseURL }) => {
  test.skip(!!process.env.PLAYWRIGHT_BASE_URL, "a server started elsewhere listens where its operator chose");
  test.skip(!!process.env.HOST, "HOST is set for this run: the operator chose where to listen");
  const port = new URL(baseURL!).port;
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal && (a.family === "IPv4" || !a.address.toLowerCase().startsWith("fe80")))
    .map((a) => (a.family === "IPv6" ? `[${a.address}]` : a.address));
  test.skip(addresses.length === 0, "this machine has no non-loopback address to try");

  const loopback = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(10_000) });
  expect(loopback.status).toBe(200);
  for (const address of addresses) {
    const outcome = await fetch(`http://${address}:${port}/api/health`, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => `answered ${r.status}`,
      (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.name,
    );
    expect(outcome, `http://${address}:${port}`).toBe("ECONNREFUSED");
  }
});
