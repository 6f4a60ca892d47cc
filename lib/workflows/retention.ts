/**
 * Run retention, as n8n's execution pruning: finished runs (success, failed) older than
 * QUANTFLOW_RUN_RETENTION_DAYS are deleted, and each workflow keeps its QUANTFLOW_RUN_RETENTION_COUNT newest
 * runs (by executed_at, id), its older finished ones deleted. A queued (pending) or running run is never
 * deleted, whatever its age or rank; it still counts among the newest it belongs to.
 *
 * Once across instances: the pruning holds a session-level advisory lock for its whole pass, taken with
 * pg_try_advisory_lock, so a second caller (another instance's hourly tick, scheduler.ts) returns at once
 * with `skipped` instead of deleting beside it; the lock goes with the connection if the instance dies.
 * The deletes run in batches of `batchSize` rows, each its own short transaction, so no lock on the table
 * is held long and new runs are recorded meanwhile.
 */
import type { JobPool } from "@/lib/jobs/queue";

/** pg_try_advisory_lock key of the pruning (one pass at a time per database). */
const PRUNE_LOCK = "quantflow-runs-retention";
export const DEFAULT_PRUNE_BATCH = 500;

export interface RetentionSettings {
  /** Finished runs older than this many days are deleted; 0: none by age. */
  maxAgeDays: number;
  /** Runs kept per workflow, the newest; 0: no limit. */
  maxPerWorkflow: number;
}

export interface PruneOptions extends RetentionSettings {
  now?: Date;
  batchSize?: number;
}

export interface PruneOutcome {
  /** Another pass held the lock: this one deleted nothing. */
  skipped: boolean;
  deletedByAge: number;
  deletedByCount: number;
  batches: number;
}

const FINISHED = "status IN ('success', 'failed')";

export async function pruneRuns(pool: JobPool, options: PruneOptions): Promise<PruneOutcome> {
  const batchSize = Math.max(1, Math.trunc(options.batchSize ?? DEFAULT_PRUNE_BATCH));
  const outcome: PruneOutcome = { skipped: false, deletedByAge: 0, deletedByCount: 0, batches: 0 };
  const conn = await pool.connect();
  let locked = false;
  try {
    const { rows } = await conn.query("SELECT pg_try_advisory_lock(hashtext($1)) AS locked", [PRUNE_LOCK]);
    locked = rows[0]?.locked === true;
    if (!locked) return { ...outcome, skipped: true };

    /** Deletes the rows `pick` selects (it must LIMIT $n), batch by batch, until none is left. */
    const inBatches = async (pick: string, params: unknown[]): Promise<number> => {
      let deleted = 0;
      for (;;) {
        const { rowCount } = (await conn.query(`DELETE FROM workflow_execution_logs WHERE id IN (${pick})`, [...params, batchSize])) as { rowCount?: number | null };
        outcome.batches++;
        deleted += rowCount ?? 0;
        if ((rowCount ?? 0) < batchSize) return deleted;
      }
    };

    if (options.maxAgeDays > 0) {
      // Workflow by workflow, oldest first along the (workflow_id, executed_at) index: a batch reads the
      // rows it deletes, not a scan of the table past the ones the batches before it deleted.
      const cutoff = new Date((options.now ?? new Date()).getTime() - options.maxAgeDays * 86_400_000);
      const { rows: old } = await conn.query(
        `SELECT w.id FROM workflows w
          WHERE EXISTS (SELECT 1 FROM workflow_execution_logs l WHERE l.workflow_id = w.id AND l.executed_at < $1)`,
        [cutoff],
      );
      for (const row of old) {
        outcome.deletedByAge += await inBatches(
          `SELECT id FROM workflow_execution_logs WHERE workflow_id = $1 AND executed_at < $2 AND ${FINISHED} ORDER BY executed_at LIMIT $3`,
          [row.id, cutoff],
        );
      }
    }

    if (options.maxPerWorkflow > 0) {
      // Per workflow, the newest run past the limit (the index of drizzle/0017 walks to it); it and every
      // older finished run go. Runs recorded meanwhile are newer than it: they are not touched.
      const { rows: over } = await conn.query(
        // The time as text to the microsecond: a JS Date would round it to the millisecond.
        `SELECT w.id AS workflow_id, to_char(c.executed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS executed_at, c.id
           FROM workflows w
           CROSS JOIN LATERAL (
             SELECT l.executed_at, l.id FROM workflow_execution_logs l
              WHERE l.workflow_id = w.id AND l.executed_at IS NOT NULL
              ORDER BY l.executed_at DESC, l.id DESC
             OFFSET $1 LIMIT 1
           ) c`,
        [options.maxPerWorkflow],
      );
      for (const row of over) {
        outcome.deletedByCount += await inBatches(
          `SELECT id FROM workflow_execution_logs
            WHERE workflow_id = $1 AND (executed_at, id) <= ($2::timestamptz, $3::uuid) AND ${FINISHED}
            ORDER BY executed_at, id LIMIT $4`,
          [row.workflow_id, row.executed_at, row.id],
        );
      }
    }
    return outcome;
  } finally {
    if (locked) await conn.query("SELECT pg_advisory_unlock(hashtext($1))", [PRUNE_LOCK]).catch(() => {});
    conn.release();
  }
}
