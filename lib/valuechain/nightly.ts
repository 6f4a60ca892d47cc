/**
 * The nightly recomputation of the whole chain's lead-lag, after the close on trading days, through
 * pg-boss, exactly once per trading day however many app instances run.
 *
 * Beside the workflow scheduler (lib/workflows/scheduler.ts), in the same way: every instance ticks once a
 * minute (tick(now) is also called by the tests with a fake clock). From 15:30 in Vietnam on a trading day
 * (lib/market/calendar.ts) until midnight, a tick sends one pg-boss job whose id is derived from the day:
 * the other instances' sends of that day are no-ops, and pg-boss hands the job to one worker. A tick later
 * that evening catches up on a day whose 15:30 found no instance running. Not through lib/jobs: its jobs
 * belong to a user and count against their limits, and this one is the system's.
 *
 * The worker claims the day in value_chain_nightly_runs (drizzle/0012) before it computes, so a job sent
 * again after pg-boss archived the first does nothing, and records how it went. The recomputation is
 * recompute.ts's (3 years, K = 20, as of the day; computed_by null): every edge that can be analysed is
 * stored, all in one transaction.
 */
import { createHash } from "node:crypto";
import type PgBoss from "pg-boss";
import { bossOnPool, ensureQueue } from "@/lib/jobs/boss";
import type { Database } from "@/db/database";
import { isTradingDay, vnDateOf, vnMinuteOfDay, type VnDate } from "@/lib/market/calendar";
import type { Queryable } from "@/lib/market/queryable";
import { startOnce } from "@/lib/start-once";
import { recomputeChain, type RecomputeRequest } from "./recompute";

export const NIGHTLY_QUEUE = "value-chain-nightly-recompute";
/** 15:30 in Vietnam: half an hour after UPCOM, the last exchange, closes. */
export const NIGHTLY_MINUTE_OF_DAY = 15 * 60 + 30;
const MINUTE = 60_000;

export interface NightlyJob {
  /** The trading day, YYYY-MM-DD (Vietnam). */
  day: VnDate;
}

export interface NightlyOptions {
  db: Database;
  /** The app's pool: pg-boss runs its SQL through it. */
  pool: Queryable;
  /** pg-boss's schema (default "pgboss"); tests use their own. */
  schema?: string;
  /** Tick every minute on a timer (the app); the tests call tick() themselves. */
  autoTick?: boolean;
  pollingIntervalSeconds?: number;
  /** pg-boss maintenance (the app: on; tests: off). */
  supervise?: boolean;
  /** The recomputation's options (default: 3 years, K = 20); asOf is always the day. */
  request?: Omit<RecomputeRequest, "asOf">;
  log?: (line: string) => void;
}

/** The trading day whose nightly recomputation is due at `now`: today from 15:30 on a trading day, else none. */
export function nightlyDayAt(now: Date): VnDate | undefined {
  const day = vnDateOf(now);
  return isTradingDay(day) && vnMinuteOfDay(now) >= NIGHTLY_MINUTE_OF_DAY ? day : undefined;
}

/** A uuid (v5 layout) from the day: the same day's job has one id on every instance. */
export function nightlyJobId(day: VnDate): string {
  const h = createHash("sha1").update(`${NIGHTLY_QUEUE}|${day}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class NightlyChainRecompute {
  readonly boss: PgBoss;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(private readonly options: NightlyOptions) {
    this.log = options.log ?? ((line) => console.log(`[value-chain] ${line}`));
    this.boss = bossOnPool(options, this.log);
  }

  async start(): Promise<void> {
    await this.boss.start();
    await ensureQueue(this.boss, NIGHTLY_QUEUE, 15 * 60);
    await this.boss.work<NightlyJob>(NIGHTLY_QUEUE, { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) await this.run(job.data.day);
    });
    if (this.options.autoTick) this.scheduleNextTick();
  }

  private scheduleNextTick() {
    if (this.stopped) return;
    const wait = MINUTE - (Date.now() % MINUTE) + 50;
    this.timer = setTimeout(() => {
      void this.tick(new Date()).catch((e: Error) => this.log(`nightly tick failed: ${e.message}`));
      this.scheduleNextTick();
    }, wait);
    this.timer.unref?.();
  }

  /** Sends the day's job when one is due at `now`; answers whether this instance created it. */
  async tick(now: Date): Promise<boolean> {
    const day = nightlyDayAt(now);
    if (!day) return false;
    const id = await this.boss.send(NIGHTLY_QUEUE, { day } satisfies NightlyJob, { id: nightlyJobId(day) });
    return id !== null;
  }

  /** Recomputes the chain as of `day`, once: a day already claimed (by any instance) is left alone. */
  async run(day: VnDate): Promise<"ran" | "already-ran"> {
    const { pool } = this.options;
    const claimed = await pool.query("INSERT INTO value_chain_nightly_runs (trading_day) VALUES ($1) ON CONFLICT DO NOTHING RETURNING trading_day", [day]);
    if (claimed.rows.length === 0) return "already-ran";
    try {
      const done = await recomputeChain(this.options.db, { ...this.options.request, asOf: day }, { userId: null });
      const stored = done.edges.filter((e) => e.ok).length;
      await pool.query("UPDATE value_chain_nightly_runs SET finished_at = now(), edges_stored = $2, edges_failed = $3 WHERE trading_day = $1", [
        day,
        stored,
        done.edges.length - stored,
      ]);
      this.log(`recomputed the chain as of ${day}: ${stored} edges stored, ${done.edges.length - stored} could not be analysed`);
    } catch (e) {
      await pool.query("UPDATE value_chain_nightly_runs SET finished_at = now(), error = $2 WHERE trading_day = $1", [day, (e as Error).message]);
      this.log(`the chain's recomputation as of ${day} stored nothing: ${(e as Error).message}`);
    }
    return "ran";
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000, close: false });
  }
}

/** The app's nightly recomputation (instrumentation-node.ts), started once per process; stopped on SIGTERM. */
export function startAppChainNightly(options: Omit<NightlyOptions, "autoTick">): Promise<NightlyChainRecompute> {
  return startOnce("value-chain-nightly", () => new NightlyChainRecompute({ ...options, autoTick: true }));
}
