/**
 * pg-boss as every background worker of the app uses it (the job runner, the scheduler, the value chain's
 * nightly job, notification delivery): its SQL through one of our pools (no connection string of its own),
 * no pg-boss cron (our own ticks schedule), and its errors in the worker's log.
 */
import PgBoss from "pg-boss";
import type { Queryable } from "@/lib/market/queryable";

export interface BossOptions {
  pool: Queryable;
  /** The pg-boss schema (tests use one of their own). */
  schema?: string;
  supervise?: boolean;
}

export function bossOnPool(options: BossOptions, log: (line: string) => void): PgBoss {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => options.pool.query(text, values) as never },
    schema: options.schema ?? "pgboss",
    schedule: false,
    supervise: options.supervise ?? true,
  });
  boss.on("error", (e: Error) => log(`pg-boss: ${e.message}`));
  return boss;
}

/** What two instances creating one queue at once may meet inside pg-boss: a deadlock, a duplicate. */
const RACE_CODES = new Set(["40P01", "23505", "42P07"]);

/**
 * Creates the queue unless it exists. Two instances starting together can deadlock inside pg-boss's
 * createQueue (each creates the queue's partition); the loser retries and finds it made.
 */
export async function ensureQueue(boss: PgBoss, queue: string, expireInSeconds: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (await boss.getQueue(queue)) return;
      await boss.createQueue(queue, { name: queue, retryLimit: 0, expireInSeconds });
      return;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt >= 5 || !RACE_CODES.has(code ?? "")) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
    }
  }
}
