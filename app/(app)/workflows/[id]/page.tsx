import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/app/_lib/page-user";
import { pinRun, type PinnedRun } from "@/components/workflow/pinnedRun";
import { WorkflowBuilder } from "@/components/workflow/WorkflowBuilder";
import { getDb } from "@/db/client";
import { getWorkflow, parseId } from "@/lib/ownership/owned";
import { unavailableNodes } from "@/lib/workflows/availability";
import { getRun } from "@/lib/workflows/run";
import { saveWorkflowGraph } from "../actions";

export const metadata: Metadata = { title: "Workflow builder" };

/**
 * The builder for one of the signed-in user's workflows; another user's id is a plain 404.
 * `?run=<runId>` pins that run's node states and outputs on the canvas when the run is one of this
 * workflow's (and so this user's); any other run id is ignored with a notice.
 */
export default async function WorkflowBuilderPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ id: raw }, query] = await Promise.all([params, searchParams]);
  const id = parseId(raw);
  const user = await requirePageUser();
  if (!id) notFound();
  const db = getDb();
  const workflow = await getWorkflow(db, user.id, id);
  if (!workflow) notFound();

  let pinned: PinnedRun | null = null;
  let pinNotice: string | null = null;
  const runParam = typeof query.run === "string" ? query.run : undefined;
  if (runParam !== undefined) {
    const runId = parseId(runParam);
    const row = runId ? await getRun(db, user.id, workflow.id, runId) : null;
    if (row) {
      const graph = workflow.jsonGraph as { nodes?: { id: string }[] } | null;
      pinned = pinRun(row, (graph?.nodes ?? []).map((n) => n.id));
    } else {
      pinNotice = "That run was not found for this workflow: showing the workflow without pinned outputs.";
    }
  }
  return <WorkflowBuilder workflowId={workflow.id} name={workflow.name} initialGraph={workflow.jsonGraph} save={saveWorkflowGraph} pinned={pinned} pinNotice={pinNotice} unavailable={unavailableNodes()} />;
}
