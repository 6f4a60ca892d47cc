/**
 * Memory nodes: recall the owner's memories about the symbols in play, save a finding (with a link to
 * the run it came from), and the AI analyst that reads inputs and recalled memories. They reach the
 * memory store and the chat endpoint only through ctx.memory and ctx.chat (lib/workflows/run.ts wires
 * them to the run's owner), so this file stays free of the server.
 */
import { z } from "zod";
import { plainText } from "@/lib/text";
import type { Alert, NodeContext, RecalledMemory, TableRows, Universe } from "../types";
import { defineNode } from "./define";

const SYMBOL = /^[A-Z0-9][A-Z0-9._-]{0,19}$/;
const optionalSymbol = z
  .string()
  .trim()
  .toUpperCase()
  .refine((v) => v === "" || SYMBOL.test(v), "company must be a symbol (HPG, VCB, …) or empty")
  .default("");

const rowsIn = { id: "rows", label: "Rows", type: "table" as const };
const alertIn = { id: "alert", label: "Alert", type: "alert" as const };
const universeIn = { id: "universe", label: "Universe", type: "universe" as const };
const memoriesIn = { id: "memories", label: "Memories", type: "table" as const };

/** The symbols a node's inputs speak of: a universe, rows with a `symbol` column, an alert's symbols. */
export function symbolsInPlay(inputs: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const s of (inputs.universe as Universe | undefined)?.symbols ?? []) out.add(s);
  for (const key of ["rows", "memories"]) {
    for (const row of (inputs[key] as TableRows | undefined) ?? []) {
      const s = row.symbol ?? row.company;
      if (typeof s === "string" && SYMBOL.test(s)) out.add(s);
    }
  }
  for (const s of (inputs.alert as Alert | null | undefined)?.symbols ?? []) out.add(s);
  return [...out].sort();
}

function memoryOf(ctx: NodeContext) {
  if (!ctx.memory) throw new Error("memories are not available to this run");
  return ctx.memory;
}

const recalledRows = (memories: RecalledMemory[]): TableRows =>
  memories.map((m) => ({ id: m.id, type: m.memoryType, company: m.company, time: m.time, similarity: m.similarity, content: m.content }));

export const recallMemoriesNode = defineNode({
  type: "memory.recall",
  label: "Recall memories",
  category: "data",
  description: "Your memories most similar to the symbols in play (from the connected universe, rows or alert) and the query text: top K, optionally filtered by type, company and age.",
  inputs: [universeIn, rowsIn, alertIn],
  outputs: [{ id: "memories", label: "Memories", type: "table" }],
  params: z.object({
    query: plainText("query").max(500).default(""),
    type: z.enum(["any", "analysis", "audit_finding", "preference"]).default("any"),
    company: optionalSymbol,
    sinceDays: z.number().int().min(0).max(3650).default(0),
    limit: z.number().int().min(1).max(20).default(5),
  }),
  async execute(inputs, p, ctx) {
    const memory = memoryOf(ctx);
    const symbols = symbolsInPlay(inputs);
    const query = [p.query.trim(), ...symbols].filter(Boolean).join(" ");
    if (query === "") throw new Error("nothing to recall by: write a query or connect symbols");
    const from = p.sinceDays > 0 ? new Date(ctx.now().getTime() - p.sinceDays * 86_400_000) : undefined;
    const found = await memory.recall({ query, type: p.type === "any" ? undefined : p.type, company: p.company || undefined, from, limit: p.limit });
    return {
      memories: recalledRows(found),
      info: { query, embedder: memory.embedder, type: p.type, company: p.company || null, since: from ? from.toISOString() : null, recalled: found.length },
    };
  },
});

/** A few lines saying what the inputs held (an alert, rows), for the finding's text and the analyst's prompt. */
export function describeInputs(inputs: Record<string, unknown>, maxRows = 20): string[] {
  const lines: string[] = [];
  const alert = inputs.alert as Alert | null | undefined;
  if (alert) lines.push(`Alert “${alert.title}” (${alert.severity})${alert.message ? `: ${alert.message}` : ""} — ${alert.symbols.join(", ")}${alert.barTime ? ` at ${alert.barTime}` : ""}.`);
  const rows = (inputs.rows as TableRows | undefined) ?? [];
  for (const row of rows.slice(0, maxRows)) {
    lines.push(
      Object.entries(row)
        .map(([k, v]) => `${k}: ${v}`)
        .join(", "),
    );
  }
  if (rows.length > maxRows) lines.push(`… and ${rows.length - maxRows} more rows.`);
  return lines;
}

/** The run a saved memory came from, as a path on this site (the memory page links it). */
export const runPath = (run: NonNullable<NodeContext["run"]>) => `/workflows/${run.workflowId}/runs/${run.id}`;

async function saveFinding(ctx: NodeContext, text: string, memoryType: string, company: string | null): Promise<{ id: string; content: string }> {
  // The link travels in the content: both stores keep the seed's payload as it is, and the link
  // goes with the memory wherever it is edited, moved or deleted (nothing to keep in step).
  const content = ctx.run ? `${text}\n\nFrom workflow run ${ctx.trigger.at}: ${runPath(ctx.run)}` : text;
  const saved = await memoryOf(ctx).save({ content, memoryType, company });
  return { id: saved.id, content };
}

/** The company of a finding: the parameter, else the one symbol in play (none when there are several). */
function companyOf(param: string, inputs: Record<string, unknown>): string | null {
  if (param) return param;
  const symbols = symbolsInPlay(inputs);
  return symbols.length === 1 ? symbols[0]! : null;
}

export const saveFindingNode = defineNode({
  type: "memory.save",
  label: "Save finding",
  category: "output",
  description: "Saves a memory (analysis or audit finding) with the company and a link to this run: the note, then what the connected alert or rows held. Nothing is saved when a connected alert did not fire or connected rows are empty.",
  inputs: [rowsIn, alertIn],
  outputs: [{ id: "saved", label: "Saved", type: "table" }],
  params: z.object({
    note: plainText("note", { multiline: true }).max(5000).default(""),
    memoryType: z.enum(["analysis", "audit_finding"]).default("analysis"),
    company: optionalSymbol,
  }),
  async execute(inputs, p, ctx) {
    const alertWired = "alert" in inputs;
    const rowsWired = "rows" in inputs;
    const fired = (alertWired && inputs.alert != null) || (rowsWired && ((inputs.rows as TableRows) ?? []).length > 0);
    if ((alertWired || rowsWired) && !fired) return { saved: [], info: { saved: false, why: "the connected alert did not fire and no rows came in" } };
    const text = [p.note.trim(), ...describeInputs(inputs)].filter(Boolean).join("\n");
    if (text === "") throw new Error("nothing to save: write a note or connect an alert or rows");
    const company = companyOf(p.company, inputs);
    const saved = await saveFinding(ctx, text, p.memoryType, company);
    return { saved: [{ id: saved.id, type: p.memoryType, company }], info: { saved: true, company, run: ctx.run ? runPath(ctx.run) : null } };
  },
});

/** Why the AI analyst cannot run here (shown in the palette), or null when a chat endpoint is configured. */
export const CHAT_UNAVAILABLE = "No chat endpoint is configured: set QUANTFLOW_CHAT_MODEL and OPENAI_BASE_URL (or OPENAI_API_KEY).";

const ANALYST_SYSTEM =
  "You are an equity analyst for the Vietnamese stock market. Answer in at most six sentences, plainly, naming companies by symbol. Use the past findings when they bear on the data; say when they do not.";

export const aiAnalystNode = defineNode({
  type: "memory.analyst",
  label: "AI analyst",
  category: "logic",
  description: "Sends the connected alert, rows and recalled memories to the configured chat model and returns its short analysis; can save it as a memory linked to this run.",
  inputs: [alertIn, rowsIn, memoriesIn],
  outputs: [{ id: "analysis", label: "Analysis", type: "table" }],
  params: z.object({
    instruction: plainText("instruction", { multiline: true }).min(1).max(2000).default("What do these signals and my past findings suggest for each company?"),
    save: z.boolean().default(false),
    memoryType: z.enum(["analysis", "audit_finding"]).default("analysis"),
    company: optionalSymbol,
  }),
  async execute(inputs, p, ctx) {
    if (!ctx.chat) throw new Error(CHAT_UNAVAILABLE);
    const memories = ((inputs.memories as TableRows | undefined) ?? []).slice(0, 20);
    const data = describeInputs(inputs);
    const past = memories.map((m) => `- [${m.type ?? "memory"}${m.company ? `, ${m.company}` : ""}, ${m.time ?? ""}] ${String(m.content ?? "").slice(0, 1500)}`);
    const prompt = [
      p.instruction,
      "",
      "Data from the workflow:",
      ...(data.length ? data : ["(none)"]),
      "",
      "Past findings recalled from memory:",
      ...(past.length ? past : ["(none)"]),
    ].join("\n");
    const answer = (await ctx.chat.complete([{ role: "system", content: ANALYST_SYSTEM }, { role: "user", content: prompt }], ctx.signal)).trim();
    if (answer === "") throw new Error(`the chat model ${ctx.chat.model} answered nothing`);
    const company = companyOf(p.company, inputs);
    const saved = p.save ? await saveFinding(ctx, answer, p.memoryType, company) : null;
    return { analysis: [{ analysis: answer, model: ctx.chat.model, savedId: saved?.id ?? null }], info: { model: ctx.chat.model, recalled: memories.length, saved: saved !== null } };
  },
});

export const memoryNodes = [recallMemoriesNode, saveFindingNode, aiAnalystNode];
