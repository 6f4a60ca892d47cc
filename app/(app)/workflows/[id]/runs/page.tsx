import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/app/_lib/page-user";
import { PageHeader } from "@/components/ui/PageHeader";
import { RunNowButton } from "@/components/workflow-runs/RunNowButton";
import { RunsList } from "@/components/workflow-runs/RunsList";
import { getDb } from "@/db/client";
import { parseId } from "@/lib/ownership/owned";
import { notReadyText } from "@/lib/workflows/readiness";
import { listRunsPage } from "@/lib/workflows/run";
import { parseRunsPageQuery } from "@/lib/workflows/run-list";

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
  const query = parseRunsPageQuery(await searchParams);
  const { status } = query;
  const result = await listRunsPage(getDb(), user.id, id, { before: query.before, after: query.after, status });
  if (!result) notFound();
  const { workflow, rows, total, totalOver, older, newer } = result;
  const notReady = notReadyText(workflow.jsonGraph);
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
      <RunsList
        path={path}
        query={query}
        rows={rows}
        older={older}
        newer={newer}
        noRunsYet={
          notReady
            ? "No runs yet. Open it in the builder to add what it lacks, then run it."
            : "No runs yet. Press “Run now”, run it from the builder, or activate its schedule on the workflows list."
        }
      />
    </>
  );
}
