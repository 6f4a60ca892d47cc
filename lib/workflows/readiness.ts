/**
 * Whether a workflow is worth running: a run starts at a trigger and leaves its result in an output (or in a
 * node that raises an alert), so a graph without either would run to an empty "success". Saving such a graph
 * stays allowed (it is work in progress); a manual run of it is refused with what to add (the builder's Run
 * button, the runs page, POST …/runs). A scheduled tick always has its trigger and runs as before.
 */
import { defaultRegistry, type NodeRegistry } from "./registry";
import type { NodeCategory } from "./types";

/** What a graph lacks before it can run, one sentence per missing part; empty when it is ready. */
export function missingForRun(graph: unknown, registry: NodeRegistry = defaultRegistry): string[] {
  const nodes = nodesOf(graph);
  const has = (category: NodeCategory) => nodes.some((n) => registry.get(n.type)?.category === category);
  const labels = (category: NodeCategory) => registry.list().filter((d) => d.category === category).map((d) => d.label);
  const missing: string[] = [];
  if (!has("trigger")) missing.push(`Add a trigger (${orList(labels("trigger"))}): a run starts from one.`);
  // A node that raises an alert (e.g. "Propagate along the chain") leaves a result too.
  const holdsResult = nodes.some((n) => {
    const def = registry.get(n.type);
    return def?.category === "output" || def?.outputs.some((port) => port.type === "alert") === true;
  });
  if (!holdsResult) missing.push(`Add an output (${orList(labels("output"))}): it holds the run's result.`);
  return missing;
}

/** The sentence a disabled Run button shows: undefined when the graph is ready. */
export function notReadyText(graph: unknown, registry: NodeRegistry = defaultRegistry): string | undefined {
  const missing = missingForRun(graph, registry);
  return missing.length > 0 ? notReadyMessage(missing) : undefined;
}

const notReadyMessage = (missing: string[]) => `Not ready to run. ${missing.join(" ")}`;

/** A run refused because the workflow is not ready; the message says what to add. */
export class NotReadyToRunError extends Error {
  constructor(readonly missing: string[]) {
    super(notReadyMessage(missing));
    this.name = "NotReadyToRunError";
  }
}

function nodesOf(graph: unknown): { type: string }[] {
  const nodes = (graph as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes.filter((n): n is { type: string } => typeof (n as { type?: unknown } | null)?.type === "string");
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
