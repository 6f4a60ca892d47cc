import { describe, expect, it } from "vitest";
import { envSchema } from "./env";
import { DEFAULT_LISTEN_HOST, isLoopback, probeAddress, resolveListenHost } from "./listen-host";

describe("where npm start listens", () => {
  it("is this machine only unless HOST says otherwise", () => {
    expect(resolveListenHost({})).toEqual({ host: "127.0.0.1", source: "default", loopbackOnly: true });
    expect(DEFAULT_LISTEN_HOST).toBe("127.0.0.1");
    expect(resolveListenHost({ HOST: " 0.0.0.0 " })).toEqual({ host: "0.0.0.0", source: "HOST", loopbackOnly: false });
    expect(resolveListenHost({ HOST: "::1" })).toEqual({ host: "::1", source: "HOST", loopbackOnly: true });
    expect(resolveListenHost({ HOST: "", HOSTNAME: "" })).toMatchObject({ host: "127.0.0.1", source: "default" });
  });

  it("takes HOSTNAME only when it is an address: the machine or container name shells and Docker export is ignored", () => {
    expect(resolveListenHost({ HOSTNAME: "0.0.0.0" })).toEqual({ host: "0.0.0.0", source: "HOSTNAME", loopbackOnly: false });
    expect(resolveListenHost({ HOSTNAME: "::" })).toMatchObject({ host: "::", source: "HOSTNAME" });
    expect(resolveListenHost({ HOSTNAME: "3f2a9c1d7e4b" })).toMatchObject({ host: "127.0.0.1", source: "default" });
    expect(resolveListenHost({ HOSTNAME: "alices-laptop.local" })).toMatchObject({ host: "127.0.0.1", source: "default" });
    expect(resolveListenHost({ HOST: "127.0.0.1", HOSTNAME: "0.0.0.0" })).toMatchObject({ host: "127.0.0.1", source: "HOST" });
  });

  it("knows loopback addresses and where its own health probe should go", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) expect(isLoopback(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1"]) expect(isLoopback(h), h).toBe(false);
    expect(probeAddress("0.0.0.0")).toBe("127.0.0.1");
    expect(probeAddress("::")).toBe("[::1]");
    expect(probeAddress("192.168.1.20")).toBe("192.168.1.20");
    expect(probeAddress("fd00::5")).toBe("[fd00::5]");
  });

  it("validates HOST at start", () => {
    const parse = (HOST: string) => envSchema.safeParse({ HOST }).success;
    for (const ok of ["127.0.0.1", "0.0.0.0", "::", "[::1]", "quantflow.internal"]) expect(parse(ok), ok).toBe(true);
    for (const bad of ["http://0.0.0.0", "0.0.0.0:3000 x", "a b", "host/path"]) expect(parse(bad), bad).toBe(false);
  });
});
