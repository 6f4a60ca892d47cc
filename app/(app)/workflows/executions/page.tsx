import type { Metadata } from "next";
import { requirePageUser } from "@/app/_lib/page-user";
import { PageHeader } from "@/components/ui/PageHeader";
import styles from "@/components/workflow-runs/list.module.css";
import { RunRows, StatusFilter } from "@/components/workflow-runs/RunRows";
import { RunsPager } from "@/components/workflow-runs/RunsPager";
import { getDb } from "@/db/client";
import { listRunsKeyset, parseRunCursor, runStatusCondition, runStatusFilterSchema } from "@/lib/workflows/run-list";

export const metadata: Metadata = { title: "Executions" };
export const dynamic = "force-dynamic";

const EXECUTIONS_PAGE_SIZE = 25;

/**
 * Every run of the signed-in user's workflows, newest first, 25 a page (keyset: ?before= / ?after= from the
 * pager, as on a workflow's runs page), with workflow, mode, status and outcome; ?status= keeps one status.
 */
export default async function ExecutionsPage({ searchParams }: { searchParams: Promise<{ status?: string; before?: string; after?: string }> }) {
  const user = await requirePageUser();
  const query = await searchParams;
  const parsedStatus = runStatusFilterSchema.safeParse(query.status || undefined);
  const status = parsedStatus.success ? parsedStatus.data : undefined;
  const before = parseRunCursor(query.before);
  const after = parseRunCursor(query.after);
  const { rows, older, newer } = await listRunsKeyset(getDb(), user.id, { before, after, limit: EXECUTIONS_PAGE_SIZE, where: runStatusCondition(status) });
  const problems = [
    parsedStatus.success ? null : `not filtered: ${parsedStatus.error.issues[0]!.message}`,
    (query.before && !before) || (query.after && !after) ? "not a runs list position: shown from the newest" : null,
  ].filter(Boolean);
  return (
    <>
      <PageHeader title="Executions" parent={{ href: "/workflows", label: "Workflows" }} description="Every run of your workflows, newest first. Times in GMT+7." />
      <div className={styles.toolbar}>
        <StatusFilter status={status} action="/workflows/executions" />
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
                : "No runs yet. Run a workflow from its builder or its runs page, or activate a schedule on the workflows list."}
          </p>
        </div>
      ) : (
        <RunRows rows={rows} showWorkflow />
      )}
      <RunsPager path="/workflows/executions" status={status} older={older} newer={newer} />
    </>
  );
}
