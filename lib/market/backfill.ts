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
 * DNSE serves 1-minute bars for about the last 90 days (issue 16, after vnstock's DNSE notes; older
 * minute requests answer empty): a backfill that fetches 1-minute bars must start within them, and
 * the panel says so before it starts. A chunk answered empty where trading sessions lie (dnse-chart.ts
 * barsExpected) is not success: the backfill goes on with the other chunks and then fails with
 * "DNSE returned no bars for …".
 *
 * The chart's button queues a job (lib/jobs): its state and progress live in background_jobs, so any
 * instance answers its status, after restarts too; pg-boss hands it to a worker when the limits allow
 * (QUANTFLOW_MAX_CONCURRENT_BACKFILLS, one running per user). The CLI runs runBackfill directly.
 */
import { enqueueJob, jobsAhead, readJob, type JobPool } from "../jobs/queue";
import type { JobHandler } from "../jobs/runner";
import { toVnDate, toVnIso } from "../time";
import { DEFAULT_MINUTE_HISTORY_DAYS } from "./dnse-limits";
import { addDays, vnDateOf, vnMidnightUtc, type VnDate } from "./calendar";
import { CandleValidationError } from "./candle-validation";
import { barsExpected, chunkLabel, chunkRange, fetchDnseChunk, toStoredPrice, type DnseFetchOptions, type DnseInstrument, type DnseResolution } from "./dnse-chart";
import { CHANGE_SAMPLE, ingestCandles, ingestDailyBars, refreshAggregates, type CandleChange, type ConnectionSource } from "./ingest";
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
  /** Stored bars that DNSE's bars replaced with different values (logged in market_candle_changes). */
  changed: number;
  /** The first CHANGE_SAMPLE of them, before → after. */
  changes: CandleChange[];
  chunksDone: number;
  chunksTotal: number;
}

export class BackfillError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackfillError";
  }
}

/** At most this long a daily range per backfill: a request is not a bulk export. */
const MAX_DAILY_RANGE_DAYS = 30 * 366;
/** The first Vietnamese date a 1-minute backfill may start on, at `now`. */
export function earliestMinuteDay(now: Date, minuteHistoryDays = DEFAULT_MINUTE_HISTORY_DAYS): VnDate {
  return addDays(vnDateOf(now), -minuteHistoryDays);
}

interface Plan {
  instrument: DnseInstrument;
  fetchAs: "1" | "D";
  chunks: ReturnType<typeof chunkRange>;
}

/** Checks the request against the symbol list and the limits; throws UnknownSymbolError or BackfillError. */
export async function planBackfill(
  db: Queryable,
  req: BackfillRequest,
  now: Date = new Date(),
  minuteHistoryDays = DEFAULT_MINUTE_HISTORY_DAYS,
): Promise<Plan> {
  if (!(req.from.getTime() < req.to.getTime())) throw new BackfillError("from must be before to.");
  const info = await findSymbol(db, req.symbol);
  if (!info) throw new UnknownSymbolError(req.symbol);
  if (info.kind === "commodity") throw new BackfillError(`${req.symbol} is a commodity series: DNSE has no chart for it (import a CSV instead).`);
  const fetchAs = req.resolution === "D" ? "D" : "1";
  if (fetchAs === "1") {
    const earliest = earliestMinuteDay(now, minuteHistoryDays);
    if (req.from.getTime() < vnMidnightUtc(earliest).getTime()) {
      const [y, m, d] = earliest.split("-");
      throw new BackfillError(
        `DNSE serves 1-minute bars (what ${req.resolution === "1" ? "1-minute" : `${req.resolution}-minute`} bars are built from) for about the last ${minuteHistoryDays} days: start on ${d}/${m}/${y} or later, or load daily bars (D) for older history.`,
      );
    }
  } else {
    const days = (req.to.getTime() - req.from.getTime()) / 86_400_000;
    if (days > MAX_DAILY_RANGE_DAYS) throw new BackfillError(`The range is ${Math.ceil(days)} days; a daily backfill takes at most ${MAX_DAILY_RANGE_DAYS} days at a time.`);
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
  opts: DnseFetchOptions & { onProgress?: (p: BackfillProgress) => void; userId?: string; minuteHistoryDays?: number },
  planned?: Plan,
): Promise<BackfillProgress> {
  const now = opts.now ?? Date.now;
  const plan = planned ?? (await planBackfill(db, req, new Date(now()), opts.minuteHistoryDays));
  const empty: typeof plan.chunks = [];
  const progress: BackfillProgress = { fetched: 0, stored: 0, changed: 0, changes: [], chunksDone: 0, chunksTotal: plan.chunks.length };
  const report = () => opts.onProgress?.({ ...progress, changes: [...progress.changes] });
  report();
  for (const chunk of plan.chunks) {
    const bars = await fetchDnseChunk(plan.instrument, req.symbol, plan.fetchAs, chunk, opts);
    if (bars.length === 0 && barsExpected(chunk, now())) empty.push(chunk);
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
      const by = { source: "backfill" as const, userId: opts.userId ?? null };
      const result = plan.fetchAs === "D" ? await ingestDailyBars(db, rows, by) : await ingestCandles(db, rows, by);
      progress.changed += result.changed;
      progress.changes.push(...result.changes.slice(0, CHANGE_SAMPLE - progress.changes.length));
    } catch (error) {
      if (error instanceof CandleValidationError) {
        const at = (s: number) => toVnIso(new Date(s * 1000));
        throw new BackfillError(`DNSE's bars for chunk ${req.symbol} ${plan.fetchAs} ${at(chunk.from)} → ${at(chunk.to)} were refused: ${error.message}`);
      }
      throw error;
    }
    progress.stored += rows.length;
    progress.chunksDone++;
    report();
  }
  if (plan.fetchAs === "1" && progress.stored > 0) await refreshAggregates(db);
  if (empty.length > 0) {
    const more = empty.length > 1 ? ` and ${empty.length - 1} more chunk${empty.length > 2 ? "s" : ""}` : "";
    throw new BackfillError(
      `DNSE returned no bars for ${chunkLabel(req.symbol, plan.fetchAs, empty[0]!)}${more}, where trading sessions lie; ` +
        (progress.stored > 0 ? `the other chunks' ${progress.stored} bars were stored.` : "nothing was stored."),
    );
  }
  return progress;
}

// ---------------------------------------------------------------- jobs: queued in PostgreSQL (lib/jobs)

export interface BackfillJob extends BackfillProgress {
  id: string;
  /** queued: waiting for a free slot (QUANTFLOW_MAX_CONCURRENT_BACKFILLS, one per user at a time). */
  status: "queued" | "running" | "done" | "failed";
  error?: string;
  /** For a queued job: how many backfills start before it (running ones included). */
  ahead?: number;
}

interface BackfillJobParams {
  symbol: string;
  resolution: DnseResolution;
  from: string;
  to: string;
  chunksTotal: number;
}

/**
 * Queues a backfill and answers its job id; the same request queued or running for the same user
 * answers that job instead. Throws UnknownSymbolError / BackfillError up front, and QueueFullError when
 * the user already has `maxQueued` backfills waiting (nothing is stored then).
 */
export async function startBackfill(
  db: JobPool,
  userId: string,
  req: BackfillRequest,
  limits: { maxQueued: number; now?: Date; minuteHistoryDays?: number },
): Promise<{ jobId: string }> {
  const plan = await planBackfill(db, req, limits.now, limits.minuteHistoryDays);
  const params: BackfillJobParams = { symbol: req.symbol, resolution: req.resolution, from: req.from.toISOString(), to: req.to.toISOString(), chunksTotal: plan.chunks.length };
  const { id } = await enqueueJob(db, {
    kind: "backfill",
    userId,
    params: { ...params },
    dedupKey: `${req.symbol}|${plan.fetchAs}|${req.from.getTime()}|${req.to.getTime()}`,
    maxQueued: limits.maxQueued,
  });
  return { jobId: id };
}

/** A job of this user (another user's job id reads as unknown), from any instance, after restarts. */
export async function backfillJob(db: Queryable, userId: string, jobId: string): Promise<BackfillJob | undefined> {
  const job = await readJob(db, userId, "backfill", jobId);
  if (!job) return undefined;
  const params = job.params as unknown as BackfillJobParams;
  const p = (job.progress ?? {}) as Partial<BackfillProgress>;
  return {
    id: job.id,
    status: job.state === "done" ? "done" : job.state,
    fetched: p.fetched ?? 0,
    stored: p.stored ?? 0,
    changed: p.changed ?? 0,
    // Kept as JSON in background_jobs.progress: the times come back as text.
    changes: (p.changes ?? []).map((c) => ({ ...c, time: new Date(c.time) })),
    chunksDone: p.chunksDone ?? 0,
    chunksTotal: p.chunksTotal ?? params.chunksTotal,
    ...(job.error ? { error: job.error } : {}),
    ...(job.state === "queued" ? { ahead: await jobsAhead(db, job) } : {}),
  };
}

/**
 * Runs queued backfills (lib/jobs/runner.ts). An interrupted backfill is queued again (its writes are
 * upserts); a stop ends the current DNSE request and stores nothing more.
 */
export function backfillJobHandler(db: ConnectionSource & Queryable, dnse: () => DnseFetchOptions & { minuteHistoryDays?: number }): JobHandler {
  return {
    retryInterrupted: true,
    expireInSeconds: 6 * 3600,
    async run(job, ctx) {
      const params = job.params as unknown as BackfillJobParams;
      const opts = dnse();
      const doFetch = opts.fetch ?? fetch;
      const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
      // Settles only when the job is told to stop: DNSE's backoff does not hold a stopping job back.
      const stopped = new Promise<never>((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error), { once: true }));
      stopped.catch(() => {});
      let pending = Promise.resolve();
      const result = await runBackfill(
        db,
        { symbol: params.symbol, resolution: params.resolution, from: new Date(params.from), to: new Date(params.to) },
        {
          ...opts,
          userId: job.userId,
          fetch: (url, init) => doFetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, ctx.signal]) : ctx.signal }),
          sleep: (ms) => (ctx.signal.aborted ? Promise.reject(ctx.signal.reason as Error) : Promise.race([sleep(ms), stopped])),
          onProgress: (p) => {
            if (ctx.signal.aborted) throw ctx.signal.reason as Error;
            pending = pending.then(() => ctx.progress({ ...p })).catch(() => {});
          },
        },
      );
      await pending;
      return { ...result };
    },
  };
}
