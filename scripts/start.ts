/**
 * `npm start`: everything from a fresh clone to a served app, with progress a person can follow.
 *
 *   1. validate the environment (lib/env.ts);
 *   2. the database: DATABASE_URL, or the embedded PostgreSQL under QUANTFLOW_DATA_DIR;
 *   3. migrate it; seed the demo data when it is empty (QUANTFLOW_SEED_ON_EMPTY);
 *   4. `next build` when .next is missing or older than the sources;
 *   5. `next start` on HOST:PORT (default 127.0.0.1:3000, this machine only: lib/listen-host.ts) with
 *      DATABASE_URL set to the database of step 2.
 *
 * `npm run dev` (`--dev`) runs `next dev` instead of 4 and 5. SIGINT/SIGTERM stop the web server
 * first, then the embedded PostgreSQL. A web server that dies once it has come up is started again
 * with backoff (scripts/supervise.ts), the database left running meanwhile.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { resolveDatabaseUrl, type ResolvedDatabase } from "../db/client";
import { migrate, MigrationError } from "../db/migrate";
import { DEMO_EMAIL, DEMO_PASSWORD } from "../lib/demo/account";
import { isDatabaseEmpty, seedDemoData } from "../lib/demo/seed";
import { env, EnvError, type Env } from "../lib/env";
import { probeAddress, resolveListenHost } from "../lib/listen-host";
import { ensureLocalSecrets, type LocalSecrets } from "../lib/local-secrets";
import { supervise, waitForExit, type Supervisor } from "./supervise";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dev = process.argv.includes("--dev");

const log = (line: string) => console.log(`[start] ${line}`);
const fail = (line: string) => console.error(`[start] ${line}`);

// ------------------------------------------------------------------------------------ lifecycle

let db: ResolvedDatabase | undefined;
let child: ChildProcess | undefined;
let server: Supervisor | undefined;
let stopping = false;

/** Stops the web server (or build), then the embedded database, then exits with `code`. */
async function shutdown(code: number, reason?: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (reason) log(reason);
    const proc = child;
    if (server) {
      if (server.current) log("Stopping the web server…");
      await server.stop();
    } else if (proc && proc.exitCode === null && proc.signalCode === null) {
      log("Stopping the web server…");
      proc.kill("SIGTERM");
      if (!(await waitForExit(proc, 10_000))) {
        proc.kill("SIGKILL");
        await waitForExit(proc, 5_000);
      }
    }
    if (db?.embedded) log("Stopping the embedded PostgreSQL…");
    await db?.stop().catch((err: unknown) => fail(`Could not stop the embedded PostgreSQL: ${String(err)}`));
    if (reason) log("Stopped.");
  }
  process.exit(code);
}

let signals = 0;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) {
      // A second Ctrl-C: do not wait for the web server any longer.
      child?.kill("SIGKILL");
      return;
    }
    void shutdown(0, `${signal} received: shutting down.`);
  });
}

/**
 * `kill <npm's pid>` ends npm and its `sh -c`, but the signal stops there: tsx and this process would live
 * on, with the web server and the database. So watch the processes that launched this one (up to npm or
 * four levels up) and shut down when one of them goes away.
 */
function watchLaunchers(): void {
  /** [parent pid, state, start time] from /proc/<pid>/stat; undefined when the process is gone (or no procfs). */
  const statOf = (pid: number): [number, string, string] | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return [Number(fields[1]), fields[0] ?? "", fields[19] ?? ""];
    } catch {
      return undefined;
    }
  };
  const nameOf = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).slice(0, 2).join(" ");
    } catch {
      return "?";
    }
  };
  if (!statOf(process.pid)) return; // no procfs: signals are all we have
  const launchers: { pid: number; name: string; start: string }[] = [];
  let pid = process.ppid;
  while (launchers.length < 4 && pid > 1) {
    const stat = statOf(pid);
    if (!stat) break;
    const name = nameOf(pid);
    launchers.push({ pid, name, start: stat[2] });
    if (/(^|\/)npm(-cli\.js)?$/.test(name.split(" ")[0] ?? "") || name.includes("npm-cli.js")) break;
    pid = stat[0];
  }
  const timer = setInterval(() => {
    const gone = launchers.find((l) => {
      const stat = statOf(l.pid);
      return !stat || stat[1] === "Z" || stat[2] !== l.start;
    });
    if (gone && !stopping) void shutdown(0, `The process that launched QuantFlow (pid ${gone.pid}, ${gone.name}) went away: shutting down.`);
  }, 1_000);
  timer.unref();
}

// ------------------------------------------------------------------------------------ the steps

function nextBin(): string {
  return createRequire(import.meta.url).resolve("next/dist/bin/next");
}

/** The newest modification time of the sources a build depends on. */
function newestSource(): { file: string; mtimeMs: number } {
  let newest = { file: "", mtimeMs: 0 };
  const consider = (file: string) => {
    const m = statSync(file).mtimeMs;
    if (m > newest.mtimeMs) newest = { file, mtimeMs: m };
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && !/\.(test|spec)\.tsx?$/.test(entry.name)) consider(p);
    }
  };
  for (const dir of ["app", "components", "lib", "db", "public"]) {
    if (existsSync(path.join(ROOT, dir))) walk(path.join(ROOT, dir));
  }
  for (const file of ["next.config.mjs", "package-lock.json", "tsconfig.json", "proxy.ts", "middleware.ts"]) {
    if (existsSync(path.join(ROOT, file))) consider(path.join(ROOT, file));
  }
  return newest;
}

function buildReason(): string | undefined {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no build yet";
  const built = statSync(buildId).mtimeMs;
  const newest = newestSource();
  return newest.mtimeMs > built ? `${path.relative(ROOT, newest.file)} changed since the last build` : undefined;
}

function runChild(args: string[], childEnv: NodeJS.ProcessEnv): ChildProcess {
  const proc = spawn(process.execPath, [nextBin(), ...args], { cwd: ROOT, env: childEnv, stdio: "inherit" });
  child = proc;
  return proc;
}

async function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host }, () => server.close(() => resolve(true)));
  });
}

/** Waits until the web server answers /api/health (any status) or exits. */
async function waitForServer(proc: ChildProcess, address: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`the web server exited (${proc.exitCode ?? proc.signalCode})`);
    try {
      const res = await fetch(`http://${address}:${port}/api/health`, { signal: AbortSignal.timeout(5_000) });
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`the web server did not answer on port ${port} within ${Math.round(timeoutMs / 1000)} s`);
}

async function migrateAndSeed(e: Env, url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: "quantflow-start" });
  try {
    const client = await pool.connect().catch((err: Error) => {
      throw new Error(`Cannot connect to the database: ${err.message}`);
    });
    try {
      log("Migrating the database…");
      const result = await migrate(client, { log: (l) => log(`  ${l}`) });
      log(result.applied.length === 0 ? "Database schema up to date." : `Applied ${result.applied.length} migration(s).`);
    } finally {
      client.release();
    }
    if (!e.QUANTFLOW_SEED_ON_EMPTY) {
      log("QUANTFLOW_SEED_ON_EMPTY=false: not seeding.");
    } else if (await isDatabaseEmpty(pool)) {
      log("The database is empty: generating the demo data (once; this takes a little while)…");
      const started = Date.now();
      await seedDemoData(pool, { log: (l: string) => log(`  ${l}`) });
      log(`Demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    } else {
      log("The database has data: not seeding.");
    }
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  let e: Env;
  try {
    e = env();
  } catch (err) {
    if (err instanceof EnvError) {
      fail(err.message);
      process.exit(1);
    }
    throw err;
  }
  log(`QuantFlow ${dev ? "development server" : "production server"}; Node ${process.version}.`);
  watchLaunchers();

  // Sessions and stored DNSE tokens need NEXTAUTH_SECRET and FERNET_KEYS; outside production, unset
  // ones are generated once into the data dir (lib/local-secrets.ts).
  let secrets: LocalSecrets;
  try {
    secrets = ensureLocalSecrets(e);
  } catch (err) {
    fail((err as Error).message);
    process.exit(1);
  }
  for (const note of secrets.notes) log(note);
  if (secrets.missing.includes("NEXTAUTH_SECRET")) {
    fail("NEXTAUTH_SECRET is not set and NODE_ENV=production: set it to 32+ random characters (openssl rand -base64 32).");
    process.exit(1);
  }
  if (secrets.missing.includes("FERNET_KEYS")) {
    log("FERNET_KEYS is not set: the broker settings page will refuse to store DNSE tokens.");
  }

  const listen = resolveListenHost({ HOST: e.HOST, HOSTNAME: process.env.HOSTNAME });
  const address = probeAddress(listen.host);
  if (!(await portIsFree(e.PORT, listen.host))) {
    fail(`Port ${e.PORT} is in use by another program. Stop it, or choose another port: PORT=3001 npm start`);
    process.exit(1);
  }

  try {
    db = await resolveDatabaseUrl({ log, env: e });
  } catch (err) {
    fail(`Could not start the database: ${(err as Error).message}`);
    await shutdown(1);
  }
  const database = db!;

  try {
    await migrateAndSeed(e, database.url);
  } catch (err) {
    fail(err instanceof MigrationError ? `Cannot migrate this database: ${err.message}` : (err as Error).message);
    await shutdown(1);
  }

  const childEnv: NodeJS.ProcessEnv = {
    NEXT_TELEMETRY_DISABLED: "1",
    ...process.env,
    ...secrets.env,
    DATABASE_URL: database.url,
    PORT: String(e.PORT),
  };
  if (!dev) {
    const reason = buildReason();
    if (reason) {
      log(`Building the web app with next build (${reason}; a minute or two)…`);
      const build = runChild(["build"], { ...childEnv, NODE_ENV: "production" });
      const code = await new Promise<number | null>((resolve) => build.once("exit", (c) => resolve(c)));
      if (stopping) return;
      if (code !== 0) {
        fail(`next build failed (exit ${code}); see its output above.`);
        await shutdown(1);
      }
    } else {
      log("The build is up to date.");
    }
  }

  log(`Starting the web server (next ${dev ? "dev" : "start"}) on ${listen.host}:${e.PORT}…`);
  // Once it has answered, a crash restarts it; one that never came up is not helped by retrying.
  let ready = false;
  let first: ChildProcess | undefined;
  server = supervise({
    start: () => runChild([dev ? "dev" : "start", "-p", String(e.PORT), "-H", listen.host], dev ? childEnv : { ...childEnv, NODE_ENV: "production" }),
    log,
    shouldRestart: () => ready && !stopping,
    onGiveUp: ({ code, signal }) => {
      if (!stopping) void shutdown(code ?? 1, `The web server exited (${code ?? signal}).`);
    },
    onStart: (proc, attempt) => {
      first ??= proc;
      if (attempt > 0) {
        waitForServer(proc, address, e.PORT, 120_000).then(
          () => log(`The web server is back (restart ${attempt}).`),
          () => {},
        );
      }
    },
  });
  try {
    await waitForServer(first!, address, e.PORT, dev ? 300_000 : 120_000);
    ready = true;
  } catch (err) {
    if (stopping) return;
    fail(`The web server did not come up: ${(err as Error).message}`);
    await shutdown(1);
  }
  log("");
  log(`QuantFlow is ready: http://${listen.loopbackOnly ? "localhost" : address}:${e.PORT}`);
  log(
    listen.loopbackOnly
      ? "Listening on this machine only; HOST=0.0.0.0 serves other machines (change the demo account's password first)."
      : `Listening on ${listen.host} (from ${listen.source}): other machines can reach this server.`,
  );
  log(`Demo account: ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
  log(`Database: ${database.displayUrl}${database.embedded ? " (embedded)" : ""}`);
  log("Press Ctrl-C to stop.");
}

void main().catch(async (err: unknown) => {
  fail(`Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  await shutdown(1);
});
