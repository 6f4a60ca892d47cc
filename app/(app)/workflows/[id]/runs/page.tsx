import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/app/_lib/page-user";
import { PageHeader } from "@/components/ui/PageHeader";
import styles from "@/components/workflow-runs/list.module.css";
import { RunNowButton } from "@/components/workflow-runs/RunNowButton";
import { RunRows, StatusFilter } from "@/components/workflow-runs/RunRows";
import { RunsPager } from "@/components/workflow-runs/RunsPager";
import { getDb } from "@/db/client";
import { parseId } from "@/lib/ownership/owned";
import { notReadyText } from "@/lib/workflows/readiness";
import { listRunsPage } from "@/lib/workflows/run";
import { parseRunCursor, runStatusFilterSchema } from "@/lib/workflows/run-list";

export const metadata: Metadata = { title: "Workflow runs" };
export const dynamic = "force-dynamic";

/**
 * A workflow's runs, newest first, 20 a page, each with its mode and outcome; ?status= keeps one status.
 * Paged by keyset (`?before=` / `?after=` a run's position, see lib/workflows/run-list.ts: a later page is
 * as fast as the first). Another user's workflow is a plain 404.
 */
export default async function WorkflowRunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ before?: string; after?: string; status?: string }>;
}) {
  const id = parseId((await params).id);
  const user = await requirePageUser();
  if (!id) notFound();
  const query = await searchParams;
  const parsedStatus = runStatusFilterSchema.safeParse(query.status || undefined);
  const status = parsedStatus.success ? parsedStatus.data : undefined;
  const before = parseRunCursor(query.before);
  const after = parseRunCursor(query.after);
  const result = await listRunsPage(getDb(), user.id, id, { before, after, status });
  if (!result) notFound();
  const { workflow, rows, total, totalOver, older, newer } = result;
  const notReady = notReadyText(workflow.jsonGraph);
  const problems = [
    parsedStatus.success ? null : `not filtered: ${parsedStatus.error.issues[0]!.message}`,
    (query.before && !before) || (query.after && !after) ? "not a runs list position: shown from the newest" : null,
  ].filter(Boolean);
  const path = `/workflows/${workflow.id}/runs`;
  return (
    <>
      <PageHeader
        title={`Runs of “${workflow.name}”`}
        parent={{ href: "/workflows", label: "Workflows" }}
        description={`${total.toLocaleString("en-US")}${totalOver ? "+" : ""} ${status ? `${status} ` : ""}run${total === 1 && !totalOver ? "" : "s"}, newest first. Times in GMT+7.`}
        actions={
          <>
            <Link className="btn" href="/workflows/executions">
              All executions
            </Link>
            <Link className="btn" href={`/workflows/${workflow.id}`}>
              Open in builder
            </Link>
            <RunNowButton workflowId={workflow.id} notReady={notReady} />
          </>
        }
      />
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
          <p style={{ margin: 0 }}>
            {status
              ? `No ${status} runs. Choose “All runs” to see the others.`
              : before || after
                ? "No runs on this page."
                : notReady
                  ? "No runs yet. Open it in the builder to add what it lacks, then run it."
                  : "No runs yet. Press “Run now”, run it from the builder, or activate its schedule on the workflows list."}
          </p>
        </div>
      ) : (
        <RunRows rows={rows} />
      )}
      <RunsPager path={path} status={status} older={older} newer={newer} />
    </>
  );
}
