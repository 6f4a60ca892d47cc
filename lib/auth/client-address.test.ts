import { describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER } from "./client-address";

describe("clientAddress", () => {
  it("with no trusted proxy (the default) takes the socket's address and ignores X-Forwarded-For", () => {
    for (const forged of ["1.1.1.1", "1.1.1.1, 2.2.2.2", "203.0.113.9"]) {
      expect(clientAddress({ "x-forwarded-for": forged, [PEER_HEADER]: "198.51.100.7" }, 0)).toBe("198.51.100.7");
    }
  });

  it("behind one trusted proxy takes the address that proxy appended, not the client's own entries", () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy (10.0.0.2) appended the address it saw.
    const headers = { "x-forwarded-for": "6.6.6.6, 198.51.100.7", [PEER_HEADER]: "10.0.0.2" };
    expect(clientAddress(headers, 1)).toBe("198.51.100.7");
    expect(clientAddress(headers, 2)).toBe("6.6.6.6");
    expect(clientAddress(headers, 0)).toBe("10.0.0.2");
  });

  it("with more trusted proxies than entries takes the leftmost", () => {
    expect(clientAddress({ "x-forwarded-for": "198.51.100.7", [PEER_HEADER]: "10.0.0.2" }, 5)).toBe("198.51.100.7");
  });

  it("reads a Headers object, unwraps IPv4-mapped IPv6 and refuses what is not an address", () => {
    expect(clientAddress(new Headers({ [PEER_HEADER]: "::ffff:127.0.0.1" }), 0)).toBe("127.0.0.1");
    expect(clientAddress({ [PEER_HEADER]: "2001:db8::1" }, 0)).toBe("2001:db8::1");
    expect(clientAddress({ "x-forwarded-for": "not-an-ip", [PEER_HEADER]: "10.0.0.2" }, 1)).toBeUndefined();
  });
});
