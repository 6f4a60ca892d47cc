/**
 * Backfilling history from DNSE's chart endpoint (dnse-chart.ts) into QuantFlow's tables.
 *
 * market_candles holds 1-minute bars and everything finer than a day is derived from them, so a
 * backfill fetches resolution 1 (asked for 5, 15, 30 or 60, it fetches the 1-minute bars those are
 * built from) or D (end-of-day bars into market_candles_eod, stamped 00:00 in Vietnam of the bar's
 * Vietnamese date). Each chunk is validated with the candle rules and stored in its own transaction:
 * a failing chunk stops the backfill with an error naming it; the chunks before it stay stored
 * (re-running is harmless: writes are upserts).
 *
 * Jobs run in this process and are kept in memory (the last 100, an hour after they end): enough for
 * the chart's button and the CLI; a restart forgets them. A durable queue (pg-boss) can replace it.
 */
import { randomUUID } from "node:crypto";
import { toVnDate, toVnIso } from "../time";
import { vnMidnightUtc } from "./calendar";
import { CandleValidationError } from "./candle-validation";
import { chunkRange, fetchDnseChunk, toStoredPrice, type DnseFetchOptions, type DnseInstrument, type DnseResolution } from "./dnse-chart";
import { ingestCandles, ingestDailyBars, refreshAggregates, type ConnectionSource } from "./ingest";
import type { Queryable } from "./queryable";
import { findSymbol, UnknownSymbolError } from "./symbols";
import type { CandleRow } from "./types";

export interface BackfillRequest {
  symbol: string;
  resolution: DnseResolution;
  from: Date;
  to: Date;
}

export interface BackfillProgress {
  fetched: number;
  stored: number;
  chunksDone: number;
  chunksTotal: number;
}

export class BackfillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackfillError";
  }
}

/** At most this long a range per backfill: DNSE keeps about this much 1-minute history, and a request is not a bulk export. */
const MAX_RANGE_DAYS: Record<"1" | "D", number> = { "1": 366, D: 30 * 366 };

interface Plan {
  instrument: DnseInstrument;
  fetchAs: "1" | "D";
  chunks: ReturnType<typeof chunkRange>;
}

/** Checks the request against the symbol list and the limits; throws UnknownSymbolError or BackfillError. */
export async function planBackfill(db: Queryable, req: BackfillRequest): Promise<Plan> {
  if (!(req.from.getTime() < req.to.getTime())) throw new BackfillError("from must be before to.");
  const info = await findSymbol(db, req.symbol);
  if (!info) throw new UnknownSymbolError(req.symbol);
  if (info.kind === "commodity") throw new BackfillError(`${req.symbol} is a commodity series: DNSE has no chart for it (import a CSV instead).`);
  const fetchAs = req.resolution === "D" ? "D" : "1";
  const days = (req.to.getTime() - req.from.getTime()) / 86_400_000;
  if (days > MAX_RANGE_DAYS[fetchAs]) {
    throw new BackfillError(`The range is ${Math.ceil(days)} days; a ${fetchAs === "D" ? "daily" : "1-minute"} backfill takes at most ${MAX_RANGE_DAYS[fetchAs]} days at a time.`);
  }
  return {
    instrument: info.kind === "index" ? "index" : "stock",
    fetchAs,
    chunks: chunkRange(Math.floor(req.from.getTime() / 1000), Math.floor(req.to.getTime() / 1000), fetchAs),
  };
}

/** Runs a backfill, reporting progress after each chunk. Throws DnseChartError / BackfillError on a failed chunk. */
export async function runBackfill(
  db: ConnectionSource & Queryable,
  req: BackfillRequest,
  opts: DnseFetchOptions & { onProgress?: (p: BackfillProgress) => void },
  planned?: Plan,
): Promise<BackfillProgress> {
  const plan = planned ?? (await planBackfill(db, req));
  const progress: BackfillProgress = { fetched: 0, stored: 0, chunksDone: 0, chunksTotal: plan.chunks.length };
  opts.onProgress?.({ ...progress });
  for (const chunk of plan.chunks) {
    const bars = await fetchDnseChunk(plan.instrument, req.symbol, plan.fetchAs, chunk, opts);
    progress.fetched += bars.length;
    const rows: CandleRow[] = bars.map((b) => {
      const instant = new Date(b.time * 1000);
      return {
        time: plan.fetchAs === "D" ? vnMidnightUtc(toVnDate(instant)) : instant,
        symbol: req.symbol,
        open: toStoredPrice(plan.instrument, b.open),
        high: toStoredPrice(plan.instrument, b.high),
        low: toStoredPrice(plan.instrument, b.low),
        close: toStoredPrice(plan.instrument, b.close),
        volume: b.volume,
      };
    });
    try {
      if (plan.fetchAs === "D") await ingestDailyBars(db, rows);
      else await ingestCandles(db, rows);
    } catch (error) {
      if (error instanceof CandleValidationError) {
        const at = (s: number) => toVnIso(new Date(s * 1000));
        throw new BackfillError(`DNSE's bars for chunk ${req.symbol} ${plan.fetchAs} ${at(chunk.from)} → ${at(chunk.to)} were refused: ${error.message}`);
      }
      throw error;
    }
    progress.stored += rows.length;
    progress.chunksDone++;
    opts.onProgress?.({ ...progress });
  }
  if (plan.fetchAs === "1" && progress.stored > 0) await refreshAggregates(db);
  return progress;
}

// ---------------------------------------------------------------- the in-process job registry

export interface BackfillJob extends BackfillProgress {
  id: string;
  status: "running" | "done" | "failed";
  error?: string;
}

interface Entry {
  job: BackfillJob;
  userId: string;
  key: string;
  endedAt?: number;
}

const KEEP_JOBS = 100;
const KEEP_MS = 3_600_000;
// On globalThis: `next dev` reloads modules, and a job must outlive the reload of its route.
const jobs = ((globalThis as { __quantflowBackfills?: Map<string, Entry> }).__quantflowBackfills ??= new Map());

function prune(now: number): void {
  const ended = [...jobs.values()].filter((e) => e.endedAt !== undefined);
  for (const e of ended) if (now - e.endedAt! > KEEP_MS) jobs.delete(e.job.id);
  const excess = jobs.size - KEEP_JOBS;
  if (excess > 0) for (const e of ended.sort((a, b) => a.endedAt! - b.endedAt!).slice(0, excess)) jobs.delete(e.job.id);
}

/**
 * Starts a backfill in the background and returns its job id; the same request still running for
 * the same user returns that job's id instead. Throws UnknownSymbolError / BackfillError up front.
 */
export async function startBackfill(
  db: ConnectionSource & Queryable,
  userId: string,
  req: BackfillRequest,
  opts: DnseFetchOptions,
): Promise<{ jobId: string }> {
  const plan = await planBackfill(db, req);
  const key = `${userId}|${req.symbol}|${plan.fetchAs}|${req.from.getTime()}|${req.to.getTime()}`;
  for (const e of jobs.values()) if (e.key === key && e.job.status === "running") return { jobId: e.job.id };
  prune(Date.now());
  const job: BackfillJob = { id: randomUUID(), status: "running", fetched: 0, stored: 0, chunksDone: 0, chunksTotal: plan.chunks.length };
  const entry: Entry = { job, userId, key };
  jobs.set(job.id, entry);
  void runBackfill(db, req, { ...opts, onProgress: (p) => Object.assign(job, p) }, plan).then(
    () => {
      job.status = "done";
      entry.endedAt = Date.now();
    },
    (error: Error) => {
      job.status = "failed";
      job.error = error.message;
      entry.endedAt = Date.now();
    },
  );
  return { jobId: job.id };
}

/** A job of this user (another user's job id reads as unknown). */
export function backfillJob(userId: string, jobId: string): BackfillJob | undefined {
  const entry = jobs.get(jobId);
  return entry && entry.userId === userId ? { ...entry.job } : undefined;
}
