/**
 * The embedded PostgreSQL launcher against the real binaries: first start and restart, a stale
 * postmaster.pid, an orphan left by a SIGKILLed Node process, joining a running server, and (as root)
 * a data dir or binaries the `postgres` user cannot reach. Each start takes a fraction of a second
 * (the first, with initdb, about one).
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { canTraverse, isRoot, locateBinaries, reachableBinaries, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";

const scratch: string[] = [];
const running: EmbeddedPostgres[] = [];

/** A scratch folder; open to every user unless `closed` (mkdtemp makes it 700). */
function tempDir(prefix: string, closed = false): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (!closed) chmodSync(dir, 0o755);
  scratch.push(dir);
  return dir;
}

afterAll(async () => {
  for (const server of running) await server.stop();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, extra: Partial<Parameters<typeof startEmbeddedPostgres>[0]> = {}) {
  const lines: string[] = [];
  const server = await startEmbeddedPostgres({ dataDir, log: (l) => lines.push(l), ...extra });
  running.push(server);
  return { server, lines };
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Whether `pid` runs (a zombie, exited but not yet reaped by its new parent, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return !/\) Z /.test(stat);
}

describe("startEmbeddedPostgres", () => {
  const dataDir = path.join(tempDir("qf-embedded-"), "data");

  it("initialises a cluster with the quantflow database on a remembered port other than 5432, and stops", async () => {
    const { server, lines } = await start(dataDir);
    expect(server.port).not.toBe(5432);
    expect(server.joined).toBe(false);
    expect(server.url).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/quantflow$/);
    expect(server.displayUrl).not.toContain(new URL(server.url).password);
    expect(lines.join("\n")).not.toContain(new URL(server.url).password);
    expect(lines.some((l) => l.startsWith("Initialising a new PostgreSQL cluster"))).toBe(true);
    const [row] = await query<{ db: string; v: number }>(server.url, "SELECT current_database() AS db, current_setting('server_version_num')::int AS v");
    expect(row).toEqual({ db: "quantflow", v: expect.any(Number) });
    expect(row!.v).toBeGreaterThanOrEqual(170000);
    await query(server.url, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
    const state = JSON.parse(readFileSync(path.join(dataDir, "embedded-postgres.json"), "utf8")) as { port: number };
    expect(state.port).toBe(server.port);

    await server.stop();
    expect(alive(server.pid)).toBe(false);
    expect(existsSync(path.join(server.pgdata, "postmaster.pid"))).toBe(false);
  });

  it("starts again on the same port with the data kept", async () => {
    const before = JSON.parse(readFileSync(path.join(dataDir, "embedded-postgres.json"), "utf8")) as { port: number };
    const { server, lines } = await start(dataDir);
    expect(server.port).toBe(before.port);
    expect(lines.some((l) => l.startsWith("Initialising"))).toBe(false);
    expect(await query(server.url, "SELECT n FROM kept")).toEqual([{ n: 42 }]);
    await server.stop();
  });

  it("lets a second start in the same lifetime join the running server and leave it running", async () => {
    const { server: first } = await start(dataDir);
    const { server: second, lines } = await start(dataDir);
    expect(second.joined).toBe(true);
    expect(second.port).toBe(first.port);
    expect(lines.some((l) => l.startsWith("Using the embedded PostgreSQL already running"))).toBe(true);
    await second.stop();
    expect(await query(first.url, "SELECT n FROM kept")).toEqual([{ n: 42 }]);
    await first.stop();
  });

  it("removes a stale postmaster.pid whose process is gone", async () => {
    const gone = spawnSync("true").pid!;
    const pgdata = path.join(dataDir, "pg");
    writeFileSync(path.join(pgdata, "postmaster.pid"), `${gone}\n${pgdata}\n1700000000\n5999\n\n127.0.0.1\n  5999001  1\nready   \n`);
    const { server, lines } = await start(dataDir);
    expect(lines.some((l) => l.includes(`stale postmaster.pid (pid ${gone} is not running)`))).toBe(true);
    expect(await query(server.url, "SELECT n FROM kept")).toEqual([{ n: 42 }]);
    await server.stop();
  });

  it("removes a stale postmaster.pid whose pid now belongs to another program", async () => {
    const other = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      const pgdata = path.join(dataDir, "pg");
      writeFileSync(path.join(pgdata, "postmaster.pid"), `${other.pid}\n${pgdata}\n1700000000\n5999\n\n127.0.0.1\n  5999001  1\nready   \n`);
      const { server, lines } = await start(dataDir);
      expect(lines.some((l) => l.includes(`stale postmaster.pid (pid ${other.pid} is another program)`))).toBe(true);
      expect(await query(server.url, "SELECT n FROM kept")).toEqual([{ n: 42 }]);
      await server.stop();
      expect(alive(other.pid!)).toBe(true); // never signalled
    } finally {
      other.kill("SIGKILL");
    }
  });

  it("stops the orphaned server of a SIGKILLed Node process and starts cleanly", async () => {
    const fixture = fileURLToPath(new URL("../test/fixtures/embedded-child.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", fixture, dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const ready = await new Promise<{ pid: number; port: number }>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve(JSON.parse(line) as { pid: number; port: number });
      });
      child.once("exit", (code) => reject(new Error(`child exited (${code}): ${stderr}`)));
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(alive(ready.pid)).toBe(true); // the orphan still holds the port and the data dir

    const { server, lines } = await start(dataDir);
    expect(lines.some((l) => l.includes(`orphaned embedded PostgreSQL (pid ${ready.pid})`))).toBe(true);
    expect(alive(ready.pid)).toBe(false);
    expect(server.pid).not.toBe(ready.pid);
    expect(await query(server.url, "SELECT n FROM kept")).toEqual([{ n: 42 }]);
    await server.stop();
  });

  it("refuses a port that QUANTFLOW_PG_PORT fixes when something else holds it", async () => {
    const holder = (await import("node:net")).createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, "127.0.0.1", () => resolve((holder.address() as { port: number }).port)),
    );
    try {
      await expect(startEmbeddedPostgres({ dataDir, port, log: () => undefined })).rejects.toThrow(/QUANTFLOW_PG_PORT/);
    } finally {
      holder.close();
    }
  });
});

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const nobody = { uid: Number(spawnSync("id", ["-u", "nobody"]).stdout), gid: Number(spawnSync("id", ["-g", "nobody"]).stdout) };
const nobodyCanRun = isRoot() && nobody.uid > 0 && canTraverse(path.join(projectRoot, "node_modules"), nobody);
if (isRoot() && !nobodyCanRun) console.warn(`[db/embedded.test] skipping the ordinary-user test: the user nobody cannot reach ${projectRoot}.`);

describe.runIf(nobodyCanRun)("as an ordinary user (run from root as the user nobody; as any other user the tests above are that case)", () => {
  it("initialises, starts and stops a cluster owned by that user", async () => {
    const home = tempDir("qf-nobody-");
    chownSync(home, nobody.uid, nobody.gid);
    const fixture = fileURLToPath(new URL("../test/fixtures/embedded-child.ts", import.meta.url));
    const run = spawnSync(process.execPath, ["--import", "tsx", fixture, path.join(home, "data"), "once"], {
      ...nobody,
      cwd: projectRoot,
      env: { NODE_ENV: "test", PATH: "/usr/bin:/bin", HOME: home },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const ready = JSON.parse(run.stdout.trim()) as { pid: number; pgdataOwner: number };
    expect(ready.pgdataOwner).toBe(nobody.uid);
    expect(alive(ready.pid)).toBe(false);
  });
});

describe.runIf(isRoot())("as root (these run only as root, the one case that needs the user postgres), where it cannot reach", () => {
  it("keeps the cluster in a reachable folder, linked from a data dir under a closed folder", async () => {
    const closed = tempDir("qf-closed-", true); // mode 700, like /root
    const systemDataDir = path.join(tempDir("qf-sysdata-"), "lib");
    const dataDir = path.join(closed, "clone", ".data");
    const ids = { uid: Number(spawnSync("id", ["-u", "postgres"]).stdout), gid: Number(spawnSync("id", ["-g", "postgres"]).stdout) };
    expect(canTraverse(closed, ids)).toBe(false);

    const { server, lines } = await start(dataDir, { systemDataDir });
    expect(lines.some((l) => l.includes("cannot reach"))).toBe(true);
    expect(server.pgdata.startsWith(systemDataDir)).toBe(true);
    expect(lstatSync(path.join(dataDir, "pg")).isSymbolicLink()).toBe(true);
    await query(server.url, "CREATE TABLE t (n int); INSERT INTO t VALUES (7)");
    await server.stop();

    const again = await start(dataDir, { systemDataDir });
    expect(again.server.pgdata).toBe(server.pgdata);
    expect(await query(again.server.url, "SELECT n FROM t")).toEqual([{ n: 7 }]);
    await again.server.stop();
  });

  it("copies binaries under a closed folder to a world-readable cache the user 'postgres' can run", async () => {
    const bins = locateBinaries();
    const closed = tempDir("qf-closed-bin-", true);
    const nativeDir = path.join(closed, "native");
    cpSync(bins.nativeDir, nativeDir, { recursive: true, verbatimSymlinks: true });
    const cacheRoot = path.join(tempDir("qf-cache-"), "cache");
    const ids = { uid: Number(spawnSync("id", ["-u", "postgres"]).stdout), gid: Number(spawnSync("id", ["-g", "postgres"]).stdout) };
    const lines: string[] = [];
    const binDir = await reachableBinaries({ ...bins, nativeDir, binDir: path.join(nativeDir, "bin") }, ids, cacheRoot, (l) => lines.push(l));
    expect(binDir.startsWith(cacheRoot)).toBe(true);
    expect(lines.some((l) => l.includes("copying the PostgreSQL binaries"))).toBe(true);
    const run = spawnSync(path.join(binDir, "postgres"), ["--version"], { ...ids, encoding: "utf8" });
    expect(run.stdout).toMatch(/PostgreSQL\) 17\./);
  });
});
