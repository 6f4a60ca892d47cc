import { describe, expect, it } from "vitest";
import { addressBucket, throttleKeys } from "./throttle";

describe("addressBucket", () => {
  it("keeps an IPv4 address and counts an IPv6 address as its /64 (one host rotates through a whole /64)", () => {
    expect(addressBucket("198.51.100.7")).toBe("198.51.100.7");
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
  });

  it("gives two addresses of one /64 the same keys", () => {
    expect(throttleKeys("a@example.com", "2001:db8:1:2::1")).toEqual(throttleKeys("a@example.com", "2001:db8:1:2::99"));
    expect(throttleKeys("a@example.com", "2001:db8:1:3::1")[0]).not.toEqual(throttleKeys("a@example.com", "2001:db8:1:2::1")[0]);
  });
});
