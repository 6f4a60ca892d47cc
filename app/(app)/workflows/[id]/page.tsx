import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getSessionUser } from "@/app/_lib/session";
import { WorkflowBuilder } from "@/components/workflow/WorkflowBuilder";
import { getDb } from "@/db/client";
import { getWorkflow, parseId } from "@/lib/ownership/owned";
import { saveWorkflowGraph } from "../actions";

export const metadata: Metadata = { title: "Workflow builder" };

/** The builder for one of the signed-in user's workflows; another user's id is a plain 404. */
export default async function WorkflowBuilderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const id = parseId(raw);
  const user = await getSessionUser();
  if (!id || !user) notFound();
  const workflow = await getWorkflow(getDb(), user.id, id);
  if (!workflow) notFound();
  return <WorkflowBuilder workflowId={workflow.id} name={workflow.name} initialGraph={workflow.jsonGraph} save={saveWorkflowGraph} />;
}
