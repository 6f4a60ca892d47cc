/**
 * The body of a runs list (a workflow's runs page, the executions page): the status filter, what the query
 * could not apply, the runs or an empty state that says what to do, and the keyset pager.
 */
import type { RunListRow, RunsPageQuery } from "@/lib/workflows/run-list";
import styles from "./list.module.css";
import { RunRows, StatusFilter } from "./RunRows";
import { RunsPager } from "./RunsPager";

export function RunsList({
  path,
  query,
  rows,
  older,
  newer,
  noRunsYet,
  showWorkflow = false,
}: {
  path: string;
  query: RunsPageQuery;
  rows: RunListRow[];
  older: string | null;
  newer: string | null;
  /** The empty state of an unfiltered first page: how runs come about here. */
  noRunsYet: string;
  showWorkflow?: boolean;
}) {
  const { status, before, after, problems } = query;
  return (
    <>
      <div className={styles.toolbar}>
        <StatusFilter status={status} action={path} />
      </div>
      {problems.length > 0 ? (
        <p role="alert" className={`${styles.message} ${styles.error}`}>
          {problems.join("; ")}.
        </p>
      ) : null}
      {rows.length === 0 ? (
        <div className={styles.empty}>
          <p style={{ margin: 0 }}>{status ? `No ${status} runs. Choose “All runs” to see the others.` : before || after ? "No runs on this page." : noRunsYet}</p>
        </div>
      ) : (
        <RunRows rows={rows} showWorkflow={showWorkflow} />
      )}
      <RunsPager path={path} status={status} older={older} newer={newer} />
    </>
  );
}
