"use server";

/**
 * The workflows list's actions (and the builder's save), each through userAction: zod → session user →
 * lib/workflows/store with the user's id. Another user's workflow id answers "Not found." (404).
 * Schedules need no call here: the scheduler reads the active workflows at each tick.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction, type ActionState } from "@/app/_lib/action";
import { getDb } from "@/db/client";
import { parseId } from "@/lib/ownership/owned";
import type { GraphProblem } from "@/lib/workflows/graph";
import {
  createWorkflow,
  deleteWorkflow,
  duplicateWorkflow,
  emptyGraph,
  importWorkflow,
  renameWorkflowUnique,
  saveWorkflowGraph as saveGraph,
  setWorkflowActive,
  workflowNameSchema,
  type StoreResult,
} from "@/lib/workflows/store";
import { starterTemplate } from "@/lib/workflows/templates";
import { plainText } from "@/lib/text";

const NOT_FOUND: ActionState = { error: "Not found.", status: 404 };
const idField = z.string().transform((v, ctx) => parseId(v) ?? (ctx.addIssue({ code: "custom", message: "Not found." }), z.NEVER));

function answer<T extends { id: string; name: string }>(result: StoreResult<T>, message: (row: T) => string, field = "name"): ActionState {
  if (result.ok) {
    revalidatePath("/workflows");
    return { ok: true, message: message(result.value), data: { id: result.value.id, name: result.value.name } };
  }
  if (result.notFound) return NOT_FOUND;
  return { error: result.error, ...(result.problems ? {} : { fieldErrors: { [field]: result.error } }) };
}

export async function createWorkflowAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, z.object({ name: workflowNameSchema, template: z.string().max(60).optional() }), async (user, input) => {
    const template = input.template ? starterTemplate(input.template) : undefined;
    if (input.template && !template) return { error: "There is no such template." };
    const result = await createWorkflow(getDb(), user.id, input.name, template ? template.graph() : emptyGraph());
    return answer(result, (w) => `Created "${w.name}".`);
  });
}

export async function renameWorkflowAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, z.object({ id: idField, name: workflowNameSchema }), async (user, input) =>
    answer(await renameWorkflowUnique(getDb(), user.id, input.id, input.name), (w) => `Renamed to "${w.name}".`),
  );
}

export async function duplicateWorkflowAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, z.object({ id: idField }), async (user, input) =>
    answer(await duplicateWorkflow(getDb(), user.id, input.id), (w) => `Duplicated as "${w.name}".`),
  );
}

export async function deleteWorkflowAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, z.object({ id: idField }), async (user, input) => {
    if (!(await deleteWorkflow(getDb(), user.id, input.id))) return NOT_FOUND;
    revalidatePath("/workflows");
    return { ok: true, message: "Deleted, with its run history and schedule." };
  });
}

export async function setWorkflowActiveAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, z.object({ id: idField, active: z.enum(["true", "false"]) }), async (user, input) =>
    answer(await setWorkflowActive(getDb(), user.id, input.id, input.active === "true"), (w) => (w.isActive ? `"${w.name}" is active.` : `"${w.name}" is paused.`)),
  );
}

export async function importWorkflowAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  // The file's text; its size is checked by importWorkflow before it is parsed.
  return userAction(formData, z.object({ json: z.string().min(1, "Choose a JSON file."), name: plainText("The name").trim().max(255, "A name has at most 255 characters.").optional() }), async (user, input) =>
    answer(await importWorkflow(getDb(), user.id, input.json, input.name || undefined), (w) => `Imported "${w.name}".`, "json"),
  );
}

export type SaveGraphResult = { ok: true; updatedAt: string } | { ok?: false; error: string; problems?: GraphProblem[]; status?: 401 | 404 };

/**
 * The builder's save: the graph is validated (schema, registry, symbols that exist, 1 MB) and nothing is
 * stored on any problem, each of which is returned (with its node id) for the canvas to mark.
 */
export async function saveWorkflowGraph(input: { id: string; graph: unknown }): Promise<SaveGraphResult> {
  const form = new FormData();
  form.set("id", String(input?.id ?? ""));
  let problems: GraphProblem[] | undefined;
  let updatedAt = "";
  const state = await userAction(form, z.object({ id: idField }), async (user, { id }) => {
    const result = await saveGraph(getDb(), user.id, id, input.graph);
    if (result.ok) {
      updatedAt = (result.value.updatedAt ?? new Date()).toISOString();
      revalidatePath("/workflows");
      return { ok: true };
    }
    if (result.notFound) return NOT_FOUND;
    problems = result.problems;
    return { error: result.error };
  });
  if (state.ok) return { ok: true, updatedAt };
  if (state.status === 401) return { error: "Your session has ended. Sign in again.", status: 401 };
  if (state.status === 404 || state.fieldErrors?.id) return { error: "Not found.", status: 404 };
  return { error: state.error ?? "Not saved.", ...(problems ? { problems } : {}) };
}
