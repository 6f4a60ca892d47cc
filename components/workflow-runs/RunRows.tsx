/**
 * Runs as a list shows them (one workflow's runs page, the executions page): status, mode, the outcome in
 * a few words (lib/workflows/outcome.ts), start time in Vietnam time, duration. A card per run on a phone
 * (list.module.css). The status filter is a plain GET form: it works by keyboard and without script.
 */
import Link from "next/link";
import { formatDateTimeVnShort } from "@/components/ui/datetime";
import { RUN_MODE_LABELS } from "@/lib/workflows/outcome";
import { RUN_STATUSES, type RunListRow, type RunStatusFilter } from "@/lib/workflows/run-list";
import { formatDuration } from "./format";
import styles from "./list.module.css";
import { StatusLabel } from "./WorkflowList";

export function RunRows({ rows, showWorkflow = false }: { rows: RunListRow[]; showWorkflow?: boolean }) {
  return (
    <table className={styles.table} data-testid="run-rows">
      <thead>
        <tr>
          {showWorkflow ? <th scope="col">Workflow</th> : null}
          <th scope="col">Status</th>
          <th scope="col">Mode</th>
          <th scope="col">Outcome</th>
          <th scope="col">Started (GMT+7)</th>
          <th scope="col" className="num">
            Duration
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const href = `/workflows/${r.workflowId}/runs/${r.id}`;
          const when = r.executedAt ? formatDateTimeVnShort(r.executedAt) : "—";
          return (
            <tr key={r.id} data-testid="run-row">
              {showWorkflow ? (
                <td data-label="Workflow">
                  <Link className={styles.name} href={`/workflows/${r.workflowId}/runs`}>
                    {r.workflowName}
                  </Link>
                </td>
              ) : null}
              <td data-label="Status">
                <Link href={href} aria-label={`Run of ${when}: ${r.status}`}>
                  <StatusLabel status={r.status} />
                </Link>
              </td>
              <td data-label="Mode" data-testid="run-mode">
                {RUN_MODE_LABELS[r.mode]}
              </td>
              <td data-label="Outcome" data-testid="run-outcome" className={r.tone === "failed" ? styles.danger : r.tone === "signal" ? styles.name : styles.muted} title={r.errorMessage ?? undefined}>
                {r.summary}
              </td>
              <td className="num" data-label="Started">
                <Link href={href}>{when}</Link>
              </td>
              <td className="num" data-label="Duration">
                {formatDuration(r.durationMs)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const STATUS_LABELS: Record<RunStatusFilter, string> = { pending: "Queued", running: "Running", success: "Succeeded", failed: "Failed" };

/** ?status= as a select and a button (Enter in the select submits too). */
export function StatusFilter({ status, action }: { status?: RunStatusFilter; action: string }) {
  return (
    <form className={styles.inline} method="get" action={action} role="search" aria-label="Filter runs">
      <label>
        Status
        <select name="status" defaultValue={status ?? ""} className={styles.input} style={{ minWidth: "10rem" }}>
          <option value="">All runs</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn">
        Filter
      </button>
    </form>
  );
}
