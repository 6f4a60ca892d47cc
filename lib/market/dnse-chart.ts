/**
 * DNSE's chart history (DNSE_BASE_URL): `GET {base}/chart-api/v2/ohlcs/{stock|index|derivative}?symbol&resolution&from&to`
 * (epoch seconds), answering `{"t":[…],"o":[…],"h":[…],"l":[…],"c":[…],"v":[…],"nextTime":…}` with t in
 * UTC epoch seconds; stock prices in thousand VND, index and derivative prices in points. The endpoint
 * is public: the public client libraries call it without a token (thinh-vu/vnstock,
 * vnstock/explorer/dnse/const.py and quote.py @ b6e053794673fbfc249e7dd35348ed35bae563e3), so QuantFlow sends none.
 *
 * The daily resolution's name: vnstock's const.py maps "1D" to `resolution=D` for this endpoint, while
 * DNSE's KRX documentation names the daily OHLC "1D" (Market Data § 2.2 "KRX Topics", manhngodh/
 * dnse-trading-bot "DNSE documents/dnse_docmuments.md" @ 6137f56). The client does not bet: it asks
 * with D, falls back to 1D on a 4xx or on an empty answer where trading days lie in the chunk, and
 * remembers (per process) the name that gave bars, logging it once.
 *
 * Long ranges are fetched in chunks; 429 and 5xx answers (and network errors, timeouts) are retried
 * with exponential backoff and jitter, honouring Retry-After (seconds or an HTTP date), a bounded
 * number of times. An answer that is not that JSON fails its chunk with an error naming the chunk.
 */
import Decimal from "decimal.js";
import { z } from "zod";
import { toVnIso } from "../time";
import { tradingDaysBetween, vnDateOf, vnTimeToUtc } from "./calendar";

export const DNSE_CHART_PATH = "/chart-api/v2/ohlcs";
export const DNSE_RESOLUTIONS = ["1", "5", "15", "30", "60", "D"] as const;
export type DnseResolution = (typeof DNSE_RESOLUTIONS)[number];
export type DnseInstrument = "stock" | "index" | "derivative";

/** Calendar days per request: about a week of 1-minute bars (~1,200), longer for coarser bars. */
const CHUNK_DAYS: Record<DnseResolution, number> = { "1": 7, "5": 30, "15": 90, "30": 180, "60": 365, D: 3650 };

export interface DnseChunk {
  /** Epoch seconds, inclusive. */
  from: number;
  /** Epoch seconds, inclusive (DNSE's `to` includes its bound). */
  to: number;
}

/** [from, to] cut into consecutive, non-overlapping chunks. */
export function chunkRange(from: number, to: number, resolution: DnseResolution): DnseChunk[] {
  if (!(to >= from)) return [];
  const span = CHUNK_DAYS[resolution] * 86_400;
  const chunks: DnseChunk[] = [];
  for (let start = from; start <= to; start += span) chunks.push({ from: start, to: Math.min(to, start + span - 1) });
  return chunks;
}

const numbers = (name: string) =>
  z.array(z.number({ error: (i) => `${name} holds ${describe(i.input)} where a number belongs` }), {
    error: (i) => `${name} is ${describe(i.input)}, not an array`,
  });

/**
 * DNSE's answer. `{}` (no data for the range) and `{"t":[]…}` both mean "no bars". Extra fields
 * (nextTime, s) are allowed and ignored.
 */
const answerSchema = z
  .looseObject({
    t: numbers("t").optional(),
    o: numbers("o").optional(),
    h: numbers("h").optional(),
    l: numbers("l").optional(),
    c: numbers("c").optional(),
    v: numbers("v").optional(),
  })
  .superRefine((a, ctx) => {
    const keys = ["t", "o", "h", "l", "c", "v"] as const;
    const lengths = keys.map((k) => a[k]?.length);
    const present = lengths.filter((n) => n !== undefined);
    if (present.length === 0) return;
    if (present.length !== keys.length || new Set(present).size > 1) {
      ctx.addIssue({ code: "custom", message: `arrays of unequal length (${keys.map((k, i) => `${k} ${lengths[i] ?? "missing"}`).join(", ")})` });
    }
  });

/** One bar as DNSE sent it: time in epoch seconds, prices in DNSE's units. */
export interface DnseBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export class DnseChartError extends Error {
  constructor(
    message: string,
    readonly chunk: DnseChunk,
    readonly status?: number,
  ) {
    super(message);
    this.name = "DnseChartError";
  }
}

export interface DnseFetchOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts per chunk, the first included. */
  maxAttempts?: number;
  /** First backoff; doubles per attempt, with full jitter, capped at maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Where the one line about the daily resolution's name goes (console.log by default). */
  log?: (line: string) => void;
}

/**
 * Whether DNSE should have bars in a chunk: it holds the continuous session's start (09:15 in Vietnam)
 * of a trading day that has begun by `nowMs`. A chunk without one may rightly be empty.
 */
export function barsExpected(chunk: DnseChunk, nowMs: number): boolean {
  const end = Math.min(chunk.to, Math.floor(nowMs / 1000));
  if (end < chunk.from) return false;
  const days = tradingDaysBetween(vnDateOf(new Date(chunk.from * 1000)), vnDateOf(new Date(end * 1000)));
  return days.some((day) => {
    const open = vnTimeToUtc(day, 9 * 60 + 15).getTime() / 1000;
    return open >= chunk.from && open <= end;
  });
}

type DailyName = "D" | "1D";
/** The daily resolution name DNSE's chart history gave bars for, in this process. */
let dailyTaken: DailyName | undefined;

export function dailyResolutionName(): DailyName | undefined {
  return dailyTaken;
}

/** Tests: forget what the server took. */
export function forgetDailyResolutionName(): void {
  dailyTaken = undefined;
}

function takeDaily(name: DailyName, log: (line: string) => void): void {
  if (dailyTaken === name) return;
  const before = dailyTaken;
  dailyTaken = name;
  log(`[dnse-chart] DNSE's chart history gives daily bars for resolution=${name}${before ? ` (no longer ${before})` : ""}; asking with it first from now on.`);
}

const isRefusal = (e: unknown): e is DnseChartError => e instanceof DnseChartError && e.status !== undefined && e.status >= 400 && e.status < 500 && e.status !== 429;

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function chunkLabel(symbol: string, resolution: string, chunk: DnseChunk): string {
  const iso = (s: number) => toVnIso(new Date(s * 1000));
  return `${symbol} ${resolution} ${iso(chunk.from)} → ${iso(chunk.to)}`;
}

/**
 * Fetches one chunk, retrying what is worth retrying. Throws DnseChartError naming the chunk. Daily
 * bars are asked for by the name the server took (D, else 1D: see above).
 */
export async function fetchDnseChunk(
  instrument: DnseInstrument,
  symbol: string,
  resolution: DnseResolution,
  chunk: DnseChunk,
  opts: DnseFetchOptions,
): Promise<DnseBar[]> {
  if (resolution !== "D") return fetchChunkAs(instrument, symbol, resolution, chunk, opts);
  const log = opts.log ?? ((line: string) => console.log(line));
  const first: DailyName = dailyTaken ?? "D";
  const other: DailyName = first === "D" ? "1D" : "D";
  let refused: DnseChartError | undefined;
  try {
    const bars = await fetchChunkAs(instrument, symbol, first, chunk, opts);
    if (bars.length > 0) takeDaily(first, log);
    if (bars.length > 0 || !barsExpected(chunk, (opts.now ?? Date.now)())) return bars;
  } catch (error) {
    if (!isRefusal(error)) throw error;
    refused = error;
  }
  let bars: DnseBar[];
  try {
    bars = await fetchChunkAs(instrument, symbol, other, chunk, opts);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    // The first name's empty answer stands; both refused: say so for both.
    if (!refused) return [];
    throw new DnseChartError(`${refused.message} for resolution=${first}, and HTTP ${error.status} for resolution=${other}`, chunk, error.status);
  }
  if (bars.length > 0) takeDaily(other, log);
  return bars;
}

async function fetchChunkAs(
  instrument: DnseInstrument,
  symbol: string,
  resolution: string,
  chunk: DnseChunk,
  opts: DnseFetchOptions,
): Promise<DnseBar[]> {
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? sleepMs;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const maxAttempts = opts.maxAttempts ?? 5;
  const base = opts.baseDelayMs ?? 500;
  const cap = opts.maxDelayMs ?? 30_000;
  const label = chunkLabel(symbol, resolution, chunk);
  const url = `${opts.baseUrl}${DNSE_CHART_PATH}/${instrument}?${new URLSearchParams({
    symbol,
    resolution,
    from: String(chunk.from),
    to: String(chunk.to),
  })}`;

  let lastProblem = "";
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let response: Response | undefined;
    let body = "";
    try {
      response = await doFetch(url, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000), cache: "no-store" });
      body = await response.text();
    } catch (error) {
      const name = (error as Error).name;
      lastProblem = name === "TimeoutError" || name === "AbortError" ? "no answer in time" : `network error (${(error as Error).message})`;
    }
    if (response) {
      if (response.ok) return parseAnswer(body, label, chunk);
      const retryable = response.status === 429 || response.status >= 500;
      lastProblem = `HTTP ${response.status}`;
      if (!retryable) throw new DnseChartError(`DNSE refused chunk ${label}: HTTP ${response.status}`, chunk, response.status);
    }
    if (attempt === maxAttempts) break;
    // Full jitter (AWS's backoff advice): anywhere up to the doubled delay, so clients spread out.
    const backoff = Math.min(cap, base * 2 ** (attempt - 1)) * random();
    const asked = response ? retryAfterMs(response.headers.get("retry-after"), now()) : undefined;
    await sleep(Math.min(cap, Math.max(backoff, asked ?? 0)));
  }
  throw new DnseChartError(`DNSE did not answer chunk ${label} after ${maxAttempts} attempts (last: ${lastProblem})`, chunk);
}

function parseAnswer(body: string, label: string, chunk: DnseChunk): DnseBar[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new DnseChartError(`DNSE's answer for chunk ${label} is not JSON (starts with ${JSON.stringify(body.slice(0, 40))})`, chunk);
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) {
    throw new DnseChartError(`DNSE's answer for chunk ${label} is malformed: ${parsed.error.issues.map((i) => `${i.path.join(".") || "answer"}: ${i.message}`).join("; ")}`, chunk);
  }
  const { t = [], o = [], h = [], l = [], c = [], v = [] } = parsed.data;
  return t.map((time, i) => ({ time, open: o[i]!, high: h[i]!, low: l[i]!, close: c[i]!, volume: v[i]! }));
}

/** DNSE's prices in QuantFlow's units: thousand VND × 1,000 for stocks (exactly), points unchanged. */
export function toStoredPrice(instrument: DnseInstrument, price: number): number {
  return instrument === "stock" ? new Decimal(price).times(1000).toNumber() : price;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.slice(0, 20));
  return typeof value === "object" ? (Array.isArray(value) ? "an array" : "an object") : String(value);
}
