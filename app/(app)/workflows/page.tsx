import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/app/_lib/page-user";
import { formatDateTimeVn } from "@/components/ui/datetime";
import { PageHeader } from "@/components/ui/PageHeader";
import { WorkflowList, type WorkflowRow } from "@/components/workflow-runs/WorkflowList";
import { getDb } from "@/db/client";
import { listWorkflowSummaries } from "@/lib/workflows/store";
import { STARTER_TEMPLATES } from "@/lib/workflows/templates";

export const metadata: Metadata = { title: "Workflows" };
export const dynamic = "force-dynamic";

export default async function WorkflowsPage() {
  const user = await requirePageUser();
  const summaries = await listWorkflowSummaries(getDb(), user.id);
  const rows: WorkflowRow[] = summaries.map((w) => ({
    id: w.id,
    name: w.name,
    isActive: w.isActive,
    hasSchedule: w.hasSchedule,
    lastRun: w.lastRun ? { id: w.lastRun.id, status: w.lastRun.status, at: w.lastRun.executedAt ? formatDateTimeVn(w.lastRun.executedAt) : null } : null,
    nextRun: w.nextRun ? formatDateTimeVn(w.nextRun) : null,
  }));
  return (
    <>
      <PageHeader
        title="Workflows"
        description="Analyses built visually: data → indicators → conditions → signals, run on demand or on a schedule. Times are Vietnam time."
        actions={
          <Link className="btn" href="/workflows/executions">
            All executions
          </Link>
        }
      />
      <WorkflowList rows={rows} templates={STARTER_TEMPLATES.map(({ key, name, description }) => ({ key, name, description }))} />
    </>
  );
}
