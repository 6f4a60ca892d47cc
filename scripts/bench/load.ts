/**
 * `npm run bench:load [-- --base http://localhost:3000 --seconds 30 --clients 20 --anonymous 200 --database <url>]`
 *
 * QuantFlow under load (issue 9), against a server that is already running (`npm start`, demo data):
 * 1. baseline: one signed-in client, one request at a time, for a few seconds: /api/candles;
 * 2. `--clients` signed-in clients (the demo account, each its own session) for `--seconds`, each
 *    alternating /api/candles (1D and 1m pages of a demo stock) and the chart page's HTML;
 * 3. `--anonymous` concurrent anonymous clients on /api/health for a third of that time.
 * Prints requests/s, p50/p95/p99 and errors of each phase, latency as a ratio of the baseline, the peak
 * of PostgreSQL connections in use (pg_stat_activity of `--database`, when given) and the server's
 * peak RSS (the process listening on the port, read from /proc). Targets: 0 errors, connections within
 * the pool (10 per instance + pg-boss's), RSS bounded.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import pg from "pg";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}
const BASE = arg("base", process.env.BENCH_BASE_URL ?? "http://localhost:3000").replace(/\/$/, "");
const SECONDS = Number(arg("seconds", "30"));
const CLIENTS = Number(arg("clients", "20"));
const ANONYMOUS = Number(arg("anonymous", "200"));
const DATABASE = arg("database", process.env.BENCH_DATABASE_URL ?? "");
const EMAIL = process.env.BENCH_EMAIL ?? "demo@quantflow.local";
const PASSWORD = process.env.BENCH_PASSWORD ?? "quantflow-demo";
const SYMBOL = arg("symbol", "HPG");

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

/** Signs in through next-auth's credentials endpoint, as the browser does; answers the Cookie header. */
async function signIn(): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, ...v] = pair!.split("=");
      jar.set(k!.trim(), v.join("="));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie(), origin: BASE },
    body: new URLSearchParams({ csrfToken, email: EMAIL, password: PASSWORD, json: "true" }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`Signing in as ${EMAIL} failed (HTTP ${res.status}); is the demo account there?`);
  return cookie();
}

interface Phase {
  latencies: number[];
  errors: number;
  statuses: Map<number, number>;
  seconds: number;
}

async function drive(workers: number, seconds: number, next: (worker: number, i: number) => { url: string; cookie?: string }): Promise<Phase> {
  const phase: Phase = { latencies: [], errors: 0, statuses: new Map(), seconds };
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        const { url, cookie } = next(w, i);
        const started = performance.now();
        try {
          const res = await fetch(url, { headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(30_000) });
          await res.arrayBuffer();
          phase.statuses.set(res.status, (phase.statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500 || res.status === 429) phase.errors++;
        } catch {
          phase.errors++;
        }
        phase.latencies.push(performance.now() - started);
      }
    }),
  );
  phase.latencies.sort((a, b) => a - b);
  return phase;
}

function report(label: string, p: Phase, baselineP50?: number) {
  const rate = p.latencies.length / p.seconds;
  const p50 = percentile(p.latencies, 50);
  const ratio = baselineP50 ? `  p50 ×${fmt(p50 / baselineP50, 1)} of the baseline` : "";
  const statuses = [...p.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(" ");
  console.log(
    `${label.padEnd(40)} ${fmt(rate, 1).padStart(7)} req/s  p50 ${fmt(p50, 1)} ms  p95 ${fmt(percentile(p.latencies, 95), 1)} ms  p99 ${fmt(percentile(p.latencies, 99), 1)} ms  errors ${p.errors}  [${statuses}]${ratio}`,
  );
}

/** The pid listening on the base URL's port (ss), for its RSS. */
function serverPid(): number | undefined {
  try {
    const port = new URL(BASE).port || "80";
    const out = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
    const m = /pid=(\d+)/.exec(out);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
const rssMiB = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
};

async function main() {
  console.log(`[bench:load] ${BASE}: ${CLIENTS} signed-in clients × ${SECONDS} s, ${ANONYMOUS} anonymous /api/health clients × ${Math.ceil(SECONDS / 3)} s`);
  const sessions = await Promise.all(Array.from({ length: CLIENTS }, () => signIn()));
  const pid = serverPid();
  const db = DATABASE ? new pg.Pool({ connectionString: DATABASE, max: 1 }) : undefined;
  let peakConnections = 0;
  let peakRss = pid ? rssMiB(pid) : NaN;
  const startRss = peakRss;
  const sampler = setInterval(() => {
    if (pid) peakRss = Math.max(peakRss, rssMiB(pid));
    void db
      ?.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
      .then((r) => (peakConnections = Math.max(peakConnections, r.rows[0]!.n)))
      .catch(() => undefined);
  }, 250);
  try {
    const candles = (i: number) => `${BASE}/api/candles?symbol=${SYMBOL}&resolution=${i % 2 ? "1m" : "1D"}`;
    const baseline = await drive(1, 5, (_, i) => ({ url: candles(i), cookie: sessions[0] }));
    report("baseline: 1 client, /api/candles", baseline);
    const mixed = await drive(CLIENTS, SECONDS, (w, i) => ({ url: i % 3 === 2 ? `${BASE}/charts/${SYMBOL}` : candles(i), cookie: sessions[w] }));
    report(`${CLIENTS} clients: /api/candles + chart page`, mixed, percentile(baseline.latencies, 50));
    const health = await drive(ANONYMOUS, Math.ceil(SECONDS / 3), () => ({ url: `${BASE}/api/health` }));
    report(`${ANONYMOUS} anonymous clients: /api/health`, health);
    console.log(
      `server RSS ${pid ? `${fmt(startRss)} MiB at start, peak ${fmt(peakRss)} MiB (×${fmt(peakRss / startRss, 2)})` : "unknown (no process found on the port)"}; ` +
        `PostgreSQL connections in use at the peak: ${db ? fmt(peakConnections) : "not sampled (give --database)"}`,
    );
    const errors = baseline.errors + mixed.errors + health.errors;
    console.log(errors === 0 ? "0 errors." : `${errors} errors.`);
    process.exitCode = errors === 0 ? 0 : 1;
  } finally {
    clearInterval(sampler);
    await db?.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
