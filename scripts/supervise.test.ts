/**
 * scripts/supervise.ts with stand-in children (plain node one-liners): a web server that dies is started
 * again with a doubling, capped backoff that resets after a stable run; stop() (what SIGTERM/SIGINT call)
 * ends the child and restarts nothing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { supervise } from "./supervise";

const node = (code: string): ChildProcess => spawn(process.execPath, ["-e", code], { stdio: "ignore" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(10);
  }
}

describe("supervise", () => {
  it("restarts a child that exits, with a doubling backoff capped at maxMs", async () => {
    const starts: number[] = [];
    const exits: number[] = [];
    const lines: string[] = [];
    const sup = supervise({
      start: () => {
        starts.push(Date.now());
        const p = node("process.exit(3)");
        p.once("exit", () => exits.push(Date.now()));
        return p;
      },
      backoff: { initialMs: 100, maxMs: 400, stableMs: 60_000 },
      log: (l) => lines.push(l),
    });
    await until(() => starts.length >= 6, 10_000);
    await sup.stop();
    const ends = starts.length;
    // From an exit to the next start: 100, 200, 400, 400, 400 ms.
    const gaps = starts.slice(1, 6).map((t, i) => t - exits[i]!);
    const expected = [100, 200, 400, 400, 400];
    gaps.forEach((gap, i) => {
      expect(gap, `gap ${i}`).toBeGreaterThanOrEqual(expected[i]! - 5);
      expect(gap, `gap ${i}`).toBeLessThan(expected[i]! + 250);
    });
    expect(lines[0]).toBe("The web server exited (3); restarting it in 100 ms.");
    expect(sup.restarts).toBeGreaterThanOrEqual(5);
    await sleep(600);
    expect(starts.length, "no start after stop()").toBe(ends);
  });

  it("goes back to the first delay after a stable run", async () => {
    const starts: number[] = [];
    const exits: number[] = [];
    const sup = supervise({
      start: () => {
        starts.push(Date.now());
        // Each run lasts over 250 ms, more than stableMs: every restart waits initialMs only.
        const p = node("setTimeout(() => process.exit(1), 250)");
        p.once("exit", () => exits.push(Date.now()));
        return p;
      },
      backoff: { initialMs: 50, maxMs: 2_000, stableMs: 200 },
    });
    await until(() => starts.length >= 5, 10_000);
    await sup.stop();
    for (let i = 1; i < 5; i++) expect(starts[i]! - exits[i - 1]!, `gap ${i}`).toBeLessThan(50 + 200);
  });

  it("restarts a child killed with SIGKILL (a crash), and stop() ends the new one with SIGTERM", async () => {
    const procs: ChildProcess[] = [];
    const sup = supervise({
      start: () => {
        const p = node("setInterval(() => {}, 1000)");
        procs.push(p);
        return p;
      },
      backoff: { initialMs: 50, maxMs: 1_000, stableMs: 60_000 },
    });
    await until(() => procs[0]?.pid !== undefined, 5_000);
    process.kill(procs[0]!.pid!, "SIGKILL");
    await until(() => procs.length === 2 && sup.current === procs[1], 5_000);
    const exited = new Promise<NodeJS.Signals | null>((r) => procs[1]!.once("exit", (_c, s) => r(s)));
    await sup.stop();
    expect(await exited).toBe("SIGTERM");
    expect(sup.current).toBeUndefined();
    await sleep(200);
    expect(procs).toHaveLength(2);
  });

  it("kills a child that ignores SIGTERM after killAfterMs", async () => {
    const sup = supervise({
      start: () => spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('up')"], { stdio: ["ignore", "pipe", "ignore"] }),
      killAfterMs: 300,
    });
    const proc = sup.current!;
    await new Promise((r) => proc.stdout!.once("data", r)); // its handler is installed
    const started = Date.now();
    await sup.stop();
    expect(proc.signalCode).toBe("SIGKILL");
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("gives up when shouldRestart says so, once", async () => {
    const exits: (number | null)[] = [];
    let starts = 0;
    supervise({
      start: () => {
        starts += 1;
        return node("process.exit(7)");
      },
      shouldRestart: () => false,
      onGiveUp: (exit) => exits.push(exit.code),
      backoff: { initialMs: 10, maxMs: 10, stableMs: 1_000 },
    });
    await until(() => exits.length === 1, 5_000);
    await sleep(100);
    expect({ starts, exits }).toEqual({ starts: 1, exits: [7] });
  });
});

describe("a supervising process (as npm start) receiving SIGTERM", () => {
  it("stops its child and exits 0 without restarting it", async () => {
    const fixture = path.join(import.meta.dirname, "..", "test", "fixtures", "supervised-parent.ts");
    const parent = spawn(process.execPath, ["--import", "tsx", fixture], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    parent.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    // The fixture's child crashes once (restarted), then runs until the parent is told to stop.
    await until(() => /child 2 pid (\d+)/.test(out), 15_000);
    const childPid = Number(/child 2 pid (\d+)/.exec(out)![1]);
    expect(alive(childPid)).toBe(true);
    const exited = new Promise<number | null>((r) => parent.once("exit", (c) => r(c)));
    parent.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(alive(childPid)).toBe(false);
    expect(out).not.toMatch(/child 3/);
    expect(out).toMatch(/stopped cleanly/);
  }, 30_000);
});
