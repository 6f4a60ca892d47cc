import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/app/_lib/page-user";
import { formatDateTimeVn } from "@/components/ui/datetime";
import { PageHeader } from "@/components/ui/PageHeader";
import styles from "@/components/workflow-runs/list.module.css";
import { StatusLabel } from "@/components/workflow-runs/WorkflowList";
import { formatDuration } from "@/components/workflow-runs/format";
import { RunNowButton } from "@/components/workflow-runs/RunNowButton";
import { getDb } from "@/db/client";
import { parseId } from "@/lib/ownership/owned";
import { notReadyText } from "@/lib/workflows/readiness";
import { listRunsPage } from "@/lib/workflows/run";
import { parseRunCursor } from "@/lib/workflows/run-list";

export const metadata: Metadata = { title: "Workflow runs" };
export const dynamic = "force-dynamic";

/**
 * A workflow's runs, newest first, 20 a page, paged by keyset (`?before=` / `?after=` a run's position, see
 * lib/workflows/run-list.ts: a later page is as fast as the first); another user's workflow is a plain 404.
 */
export default async function WorkflowRunsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ before?: string; after?: string }> }) {
  const id = parseId((await params).id);
  const user = await requirePageUser();
  if (!id) notFound();
  const query = await searchParams;
  const result = await listRunsPage(getDb(), user.id, id, { before: parseRunCursor(query.before), after: parseRunCursor(query.after) });
  if (!result) notFound();
  const { workflow, rows, total, totalOver, older, newer } = result;
  const notReady = notReadyText(workflow.jsonGraph);
  return (
    <>
      <PageHeader
        title={`Runs of “${workflow.name}”`}
        parent={{ href: "/workflows", label: "Workflows" }}
        description={`${total.toLocaleString("en-US")}${totalOver ? "+" : ""} run${total === 1 && !totalOver ? "" : "s"}, newest first.`}
        actions={
          <>
            <Link className="btn" href={`/workflows/${workflow.id}`}>
              Open in builder
            </Link>
            <RunNowButton workflowId={workflow.id} notReady={notReady} />
          </>
        }
      />
      {rows.length === 0 ? (
        <div className={styles.empty}>
          <p style={{ margin: 0 }}>{notReady
              ? "No runs yet. Open it in the builder to add what it lacks, then run it."
              : "No runs yet. Press “Run now”, run it from the builder, or activate its schedule on the workflows list."}</p>
        </div>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Started at</th>
              <th scope="col" className="num">
                Duration
              </th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td data-label="Status">
                  <Link href={`/workflows/${workflow.id}/runs/${r.id}`} aria-label={`Run of ${r.executedAt ? formatDateTimeVn(r.executedAt) : ""}: ${r.status}`}>
                    <StatusLabel status={r.status} />
                  </Link>
                </td>
                <td className="num" data-label="Started at">
                  <Link href={`/workflows/${workflow.id}/runs/${r.id}`}>{r.executedAt ? formatDateTimeVn(r.executedAt) : "—"}</Link>
                </td>
                <td className="num" data-label="Duration">{formatDuration(r.durationMs)}</td>
                <td className={styles.muted} data-label="Error">{r.errorMessage ? r.errorMessage.slice(0, 160) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {older || newer ? (
        <nav className={styles.pager} aria-label="Pages">
          {newer ? <Link href={`/workflows/${workflow.id}/runs`}>« Newest</Link> : null}
          {newer ? <Link href={`?after=${encodeURIComponent(newer)}`}>← Newer</Link> : null}
          {older ? <Link href={`?before=${encodeURIComponent(older)}`}>Older →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
