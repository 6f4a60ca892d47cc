import type { Metadata } from "next";
import { requirePageUser } from "@/app/_lib/page-user";
import { PageHeader } from "@/components/ui/PageHeader";
import { RunsList } from "@/components/workflow-runs/RunsList";
import { getDb } from "@/db/client";
import { listRunsKeyset, parseRunsPageQuery, runStatusCondition } from "@/lib/workflows/run-list";

export const metadata: Metadata = { title: "Executions" };
export const dynamic = "force-dynamic";

const EXECUTIONS_PAGE_SIZE = 25;

/**
 * Every run of the signed-in user's workflows, newest first, 25 a page (keyset: ?before= / ?after= from the
 * pager, as on a workflow's runs page), with workflow, mode, status and outcome; ?status= keeps one status.
 */
export default async function ExecutionsPage({ searchParams }: { searchParams: Promise<{ status?: string; before?: string; after?: string }> }) {
  const user = await requirePageUser();
  const query = parseRunsPageQuery(await searchParams);
  const { rows, older, newer } = await listRunsKeyset(getDb(), user.id, {
    before: query.before,
    after: query.after,
    limit: EXECUTIONS_PAGE_SIZE,
    where: runStatusCondition(query.status),
  });
  return (
    <>
      <PageHeader title="Executions" parent={{ href: "/workflows", label: "Workflows" }} description="Every run of your workflows, newest first. Times in GMT+7." />
      <RunsList
        path="/workflows/executions"
        query={query}
        rows={rows}
        older={older}
        newer={newer}
        showWorkflow
        noRunsYet="No runs yet. Run a workflow from its builder or its runs page, or activate a schedule on the workflows list."
      />
    </>
  );
}
