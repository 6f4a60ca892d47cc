/**
 * The 1h/1D rollup refresh on a schedule, in every app instance, each slot run by one of them.
 *
 * Without it only the live feed refreshed, so on an instance without a DNSE account a change below
 * the refreshed range (a backfill, an update made in SQL) showed in 1h/1D only at the next import.
 * Every instance ticks at the start of each slot (every `intervalMinutes`, aligned to the clock) and
 * claims the slot in market_rollup_refresh (drizzle/0004_daily_official.*.sql): `UPDATE … SET slot = $1
 * WHERE slot < $1` succeeds in one instance only (the others wait on the row lock, then find the slot
 * taken), as the workflow scheduler's job ids make a tick run once (lib/workflows/scheduler.ts). The
 * claim commits before the refresh runs (TimescaleDB's refresh cannot run in a transaction); a failed
 * refresh is logged and recorded, and the next slot runs it again.
 *
 * The same tick then maintains market_candles' weekly partitions (partitions.ts's maintainPartitions):
 * makes the weeks ahead and drops the empty partitions of past weeks that a killed or failed import
 * left behind, each drop waiting at most a fraction of a second for readers.
 *
 * The refresh itself does not hold up readers: it locks the watermark row (writers wait on it, reads
 * do not) and writes market_candles_1h_materialized, which reads take no conflicting lock on.
 */
import { refreshAggregates, type ConnectionSource, type RefreshResult } from "./ingest";
import { maintainPartitions, type PartitionMaintenance } from "./partitions";
import type { Queryable } from "./queryable";

export interface RollupRefreshOptions {
  db: ConnectionSource & Queryable;
  /** Minutes between refreshes (default 5). */
  intervalMinutes?: number;
  /** Named in the record and the log (default: host and process id). */
  instance?: string;
  /** Tick on a timer (the app); the tests call tick() themselves. */
  autoTick?: boolean;
  /** The refresh itself (default refreshAggregates); tests count calls. */
  refresh?: (db: ConnectionSource) => Promise<RefreshResult>;
  /** The partition maintenance after it (default maintainPartitions); tests count calls. */
  maintain?: (db: ConnectionSource, now: Date) => Promise<PartitionMaintenance>;
  log?: (line: string) => void;
}

export const DEFAULT_ROLLUP_REFRESH_MINUTES = 5;
const MINUTE_MS = 60_000;

export class RollupRefreshSchedule {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly log: (line: string) => void;
  readonly instance: string;

  constructor(private readonly options: RollupRefreshOptions) {
    this.intervalMs = (options.intervalMinutes ?? DEFAULT_ROLLUP_REFRESH_MINUTES) * MINUTE_MS;
    if (!(this.intervalMs >= MINUTE_MS)) throw new RangeError(`intervalMinutes must be at least 1, got ${options.intervalMinutes}`);
    this.instance = options.instance ?? `${process.env.HOSTNAME ?? "host"}:${process.pid}`;
    // Server log lines: times in UTC.
    this.log = options.log ?? ((line) => console.log(`[rollup-refresh] ${line}`));
  }

  /** The start of the slot `now` is in. */
  slotOf(now: Date): Date {
    return new Date(Math.floor(now.getTime() / this.intervalMs) * this.intervalMs);
  }

  /**
   * Claims the slot `now` is in and, if this instance got it, refreshes. Answers whether this instance
   * ran the refresh (false: another instance claimed the slot first).
   */
  async tick(now: Date): Promise<boolean> {
    const slot = this.slotOf(now);
    const claim = await this.options.db.query(
      "UPDATE market_rollup_refresh SET slot = $1, instance = $2, finished_at = NULL, error = NULL WHERE slot < $1 RETURNING slot",
      [slot, this.instance],
    );
    if (claim.rows.length === 0) return false;
    try {
      await (this.options.refresh ?? refreshAggregates)(this.options.db);
      await this.record(slot, null);
    } catch (error) {
      const message = (error as Error).message;
      this.log(`refresh of slot ${slot.toISOString()} (UTC) failed: ${message}; the next slot tries again`);
      await this.record(slot, message).catch(() => {});
    }
    try {
      const done = await (this.options.maintain ?? maintainPartitions)(this.options.db, now);
      if (done.dropped.length > 0) this.log(`dropped ${done.dropped.length} empty partition(s) of past weeks: ${done.dropped.join(", ")}`);
      if (done.rehomed > 0) this.log(`moved ${done.rehomed} row(s) out of market_candles_default`);
      if (done.skipped) this.log(`partition drops skipped (${done.skipped}); the next slot tries again`);
    } catch (error) {
      this.log(`partition maintenance of slot ${slot.toISOString()} (UTC) failed: ${(error as Error).message}; the next slot tries again`);
    }
    return true;
  }

  private async record(slot: Date, error: string | null): Promise<void> {
    await this.options.db.query("UPDATE market_rollup_refresh SET finished_at = now(), error = $2 WHERE slot = $1", [slot, error]);
  }

  start(): void {
    if (this.options.autoTick) this.scheduleNextTick();
  }

  private scheduleNextTick() {
    if (this.stopped) return;
    const wait = this.intervalMs - (Date.now() % this.intervalMs) + 50;
    this.timer = setTimeout(() => {
      void this.tick(new Date()).catch((e: Error) => this.log(`tick failed: ${e.message}`));
      this.scheduleNextTick();
    }, wait);
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

const g = globalThis as { __quantflowRollupRefresh?: RollupRefreshSchedule };

/** The app's schedule (instrumentation-node.ts): one per process, stopped on SIGTERM. */
export function startAppRollupRefresh(options: Omit<RollupRefreshOptions, "autoTick">): RollupRefreshSchedule {
  if (g.__quantflowRollupRefresh) return g.__quantflowRollupRefresh;
  const schedule = new RollupRefreshSchedule({ ...options, autoTick: true });
  g.__quantflowRollupRefresh = schedule;
  schedule.start();
  process.once("SIGTERM", () => schedule.stop());
  return schedule;
}
