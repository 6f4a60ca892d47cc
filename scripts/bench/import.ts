/**
 * `npm run bench:import [-- --megabytes 9.5 --rate 40 --baseline-seconds 4]`
 *
 * Does a large CSV import stall the other users (issue 9, item 4)? On a scratch database of
 * DATABASE_URL's server (or the embedded one), dropped at the end, the app's own route handlers are
 * served over HTTP by this process, as Next serves them (one event loop): POST /api/candles/import and
 * GET /api/candles, both signed in with an admin's API token. A client on a worker thread (its own event
 * loop, so its clock is not stalled by the server's) then
 *  1. baseline: sends GET /api/candles at `--rate` requests/s for `--baseline-seconds`, no import;
 *  2. uploads a generated ~`--megabytes` MB CSV of 1-minute bars (mode import) and, meanwhile, sends
 *     the same light requests at the same rate until the import answers.
 * Prints the import's time and the light requests' p50/p99/max during the import as ratios of the
 * baseline. Requests are sent on a fixed schedule, not one after another, so a stalled server shows
 * as a queue of slow answers instead of as fewer requests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import pg from "pg";
import { resolveDatabaseUrl, SESSION_OPTIONS } from "../../db/client";
import { withScratchDatabase } from "./scratch-database";

const log = (line: string) => console.log(`[bench:import] ${line}`);

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!(value > 0)) throw new Error(`--${name} wants a positive number`);
  return value;
}
const MEGABYTES = option("megabytes", 9.5);
const RATE = option("rate", 40);
const BASELINE_SECONDS = option("baseline-seconds", 4);

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;
const SESSION_MINUTES = [...Array.from({ length: 135 }, (_, i) => 9 * 60 + 15 + i), ...Array.from({ length: 105 }, (_, i) => 13 * 60 + i)];

/**
 * 1-minute bars of one HOSE stock in VND on its tick grid, weekdays ending a week ago, about `bytes`
 * long. Each day stays within ±5 % of the previous day's close, inside HOSE's ±7 % limits, so the file
 * passes the sanity bounds (bar-bounds.ts) and the import really writes.
 */
export function generateMinuteCsv(bytes: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const header = "timestamp,open,high,low,close,volume";
  // The days first, walking backwards from a week ago (about 47 bytes a row), then the prices forward.
  const dates: string[] = [];
  let day = Math.floor((Date.now() + VN_OFFSET_MS) / DAY_MS) * DAY_MS - 7 * DAY_MS;
  for (let size = header.length + 1; size < bytes; day -= DAY_MS) {
    const date = new Date(day);
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    dates.push(`${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`);
    size += SESSION_MINUTES.length * 47;
  }
  const lines: string[] = [header];
  let price = 26_000;
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (const ymd of dates.reverse()) {
    const reference = price;
    const lowest = Math.max(11_000, Math.ceil((reference * 0.95) / 50) * 50 + 50);
    const highest = Math.min(49_000, Math.floor((reference * 1.05) / 50) * 50 - 50);
    for (const m of SESSION_MINUTES) {
      const open = price;
      const close = Math.min(highest, Math.max(lowest, open + Math.round((random() - 0.5) * 4) * 50));
      price = close;
      lines.push(`${ymd} ${pad(Math.floor(m / 60))}:${pad(m % 60)},${open},${Math.max(open, close) + 50},${Math.min(open, close) - 50},${close},${100 * (1 + Math.floor(random() * 500))}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** Serves Web-standard route handlers from node:http, as Next does (the body is streamed, not read first). */
function serve(routes: Record<string, (request: Request) => Promise<Response>>) {
  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const handler = routes[`${req.method} ${url.pathname}`];
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(url, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      ...(hasBody ? { duplex: "half" } : {}),
    } as RequestInit);
    try {
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
}

/** The client, on its own thread: plain JavaScript (a worker's code needs no TypeScript loader). */
const CLIENT = `
const { parentPort, workerData } = require("node:worker_threads");
const { base, token, rate, baselineSeconds, csv } = workerData;
const auth = { authorization: "Bearer " + token };
const light = base + "/api/candles?symbol=HPG&resolution=1D&limit=50";
async function one(latencies, errors) {
  const started = performance.now();
  try {
    const res = await fetch(light, { headers: auth });
    await res.arrayBuffer();
    if (res.status !== 200) errors.push(res.status);
  } catch (e) { errors.push(String(e)); }
  latencies.push(performance.now() - started);
}
async function fixedRate(until) {
  const latencies = [], errors = [], pending = [];
  const gap = 1000 / rate;
  let next = performance.now();
  while (!until()) {
    pending.push(one(latencies, errors));
    next += gap;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  await Promise.all(pending);
  return { latencies, errors };
}
(async () => {
  for (let i = 0; i < 5; i++) await one([], []); // warm up (first compilations, the pool)
  const baselineEnd = performance.now() + baselineSeconds * 1000;
  const baseline = await fixedRate(() => performance.now() > baselineEnd);
  const form = new FormData();
  form.set("file", new File([csv], "bars.csv", { type: "text/csv" }));
  for (const [k, v] of Object.entries({ symbol: "HPG", unit: "VND", resolution: "1m", mode: "import", skipBadRows: "false", confirmWarnings: "true" })) form.set(k, v);
  let done = false;
  parentPort.postMessage({ phase: "import" });
  const started = performance.now();
  const upload = fetch(base + "/api/candles/import", { method: "POST", headers: auth, body: form })
    .then(async (res) => ({ status: res.status, body: await res.text() }))
    .finally(() => { done = true; });
  const during = await fixedRate(() => done);
  const answer = await upload;
  parentPort.postMessage({ baseline, during, importMs: performance.now() - started, answer });
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

interface Sample {
  latencies: number[];
  errors: unknown[];
}
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

async function main() {
  const database = await resolveDatabaseUrl({ log });
  try {
    await withScratchDatabase(database.url, { label: "import", log, pool: { max: 2 } }, async (scratch) => {
      // The app's shared pool (db/client.ts keeps it on globalThis) is one on the scratch database,
      // sized like the app's.
      const shared = ((globalThis as { __quantflowDb?: { pool?: pg.Pool } }).__quantflowDb ??= {});
      shared.pool = new pg.Pool({ connectionString: scratch.url, max: 10, options: SESSION_OPTIONS });
      shared.pool.on("error", () => undefined); // the final DROP … WITH (FORCE) may end an idle client
      const { getDb, closePool } = await import("../../db/client");
      const { signUp } = await import("../../lib/auth/accounts");
      const { createApiToken } = await import("../../lib/auth/api-tokens");
      const { POST: postImport } = await import("../../app/api/candles/import/route");
      const { GET: getCandles } = await import("../../app/api/candles/route");
      await scratch.pool.query("INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ('HPG', 'Hoa Phat Group', 'stock', 'HOSE', 'Steel')");
      const admin = await signUp(getDb(), { email: "bench-admin@example.vn", password: "a long bench passphrase 4 import", confirmPassword: "a long bench passphrase 4 import" }, { mode: "open" });
      if (!admin.ok) throw new Error(`signing up the bench's admin failed: ${admin.error}`);
      const created = await createApiToken(getDb(), admin.user.id, "bench");
      if (!created.ok) throw new Error("no API token");
      const csv = generateMinuteCsv(MEGABYTES * 1024 * 1024);
      log(`a ${(Buffer.byteLength(csv) / 1048576).toFixed(1)} MB CSV of ${csv.split("\n").length - 2} 1-minute bars; light requests at ${RATE}/s`);

      const server = serve({ "POST /api/candles/import": (r) => postImport(r, {}), "GET /api/candles": (r) => getCandles(r, {}) });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const worker = new Worker(CLIENT, { eval: true, workerData: { base, token: created.token, rate: RATE, baselineSeconds: BASELINE_SECONDS, csv } });
        // The server's own event-loop delay, apart from time spent waiting on PostgreSQL: the client
        // tells when the import starts.
        const loop: Record<"baseline" | "during", IntervalHistogram> = { baseline: monitorEventLoopDelay({ resolution: 10 }), during: monitorEventLoopDelay({ resolution: 10 }) };
        loop.baseline.enable();
        worker.on("message", (m: { phase?: string }) => {
          if (m.phase !== "import") return;
          loop.baseline.disable();
          loop.during.enable();
        });
        const result = await new Promise<{ baseline: Sample; during: Sample; importMs: number; answer: { status: number; body: string }; error?: string }>(
          (resolve, reject) => {
            worker.on("message", (m: { phase?: string }) => {
              if (!m.phase) resolve(m as never);
            });
            worker.once("error", reject);
          },
        );
        loop.during.disable();
        await worker.terminate();
        if (result.error) throw new Error(result.error);
        log(`import answered ${result.answer.status} ${result.answer.body.slice(0, 200)}`);
        const { baseline, during } = result;
        const row = (name: string, s: Sample) =>
          `${name.padEnd(16)} n=${String(s.latencies.length).padStart(4)}  p50 ${ms(percentile(s.latencies, 50)).padStart(8)}  p99 ${ms(percentile(s.latencies, 99)).padStart(8)}  max ${ms(Math.max(...s.latencies)).padStart(8)}  errors ${s.errors.length}`;
        console.log("");
        console.log(`import of ${MEGABYTES} MB: ${(result.importMs / 1000).toFixed(2)} s (HTTP ${result.answer.status})`);
        console.log(row("baseline", baseline));
        console.log(row("during import", during));
        const ratio = (p: number) => (percentile(during.latencies, p) / percentile(baseline.latencies, p)).toFixed(1);
        const lag = (h: IntervalHistogram) => `event-loop delay p50 ${ms(h.percentile(50) / 1e6)}  p99 ${ms(h.percentile(99) / 1e6)}  max ${ms(h.max / 1e6)}`;
        console.log(`server ${lag(loop.baseline)} (baseline); ${lag(loop.during)} (during import)`);
        console.log(
          `ratio during/baseline: p50 ×${ratio(50)}  p99 ×${ratio(99)}  max ×${(Math.max(...during.latencies) / Math.max(...baseline.latencies)).toFixed(1)}`,
        );
      } finally {
        server.close();
        await closePool();
      }
    });
  } finally {
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
