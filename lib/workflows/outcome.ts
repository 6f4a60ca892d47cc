/**
 * A run's outcome as a person reads it first: its mode (manual, scheduled, from another workflow), the
 * signals it produced with the value that triggered each ("TLH · RSI 27.4 · 30/11/2026"), the alerts'
 * text, and a few words for lists ("1 signal: TLH", "No signals", "Failed: …"). Pure: it reads a stored
 * run (workflow_execution_logs.result, possibly truncated to head and tail) and, for the values, the graph.
 *
 * Lists do not load whole results: they read a digest (the signal tables, the alerts and the trigger's
 * kind; lib/workflows/run-list.ts extracts the same digest in SQL) and summarise that.
 */
import { resolvePort, type GraphEdge, type GraphNode } from "./graph";
import { defaultRegistry, type NodeRegistry } from "./registry";
import { isObject, storedArray } from "./stored-array";

export type RunMode = "manual" | "scheduled" | "workflow" | "unknown";

export const RUN_MODE_LABELS: Record<RunMode, string> = {
  manual: "Manual",
  scheduled: "Scheduled",
  workflow: "From another workflow",
  unknown: "Unknown",
};

/** What a list needs of a stored result. */
export interface RunDigest {
  /** The kind of the trigger event ("manual", "schedule", "workflow"), null when the result names none. */
  triggerKind: string | null;
  /** Every Signal list node's rows, as stored (an array, or { truncated, size, head, tail }). */
  signalTables: unknown[];
  /** Every alert raised (null for an alert node whose condition held for no symbol). */
  alerts: unknown[];
}

export interface RunSignal {
  symbol: string;
  /** The bar's time as stored (a Vietnamese date '2026-11-30', or ISO with +07:00). */
  time: string | null;
  /** dd/MM/yyyy (with HH:mm for an intraday bar), Vietnam time. */
  timeText: string | null;
  reason: string | null;
  /** The value that triggered it: the series the condition read, by its node's name. */
  trigger: { label: string; value: number } | null;
  /** "RSI 27.4" */
  triggerText: string | null;
  /** "TLH · RSI 27.4 · 30/11/2026" */
  text: string;
}

export interface RunAlert {
  title: string;
  severity: string;
  message: string;
  symbols: string[];
  barTimeText: string | null;
  /** The symbols with the value that triggered, as signals. */
  signals: RunSignal[];
}

export interface RunOutcome {
  mode: RunMode;
  /** A few words: "1 signal: TLH", "No signals", "Failed: …". */
  summary: string;
  tone: "signal" | "quiet" | "failed" | "pending";
  signals: RunSignal[];
  /** Signal rows the stored result counts but no longer holds (a truncated table's middle). */
  signalsNotShown: number;
  alerts: RunAlert[];
}

export function modeOf(triggerKind: string | null | undefined): RunMode {
  if (triggerKind === "manual") return "manual";
  if (triggerKind === "schedule") return "scheduled";
  if (triggerKind === "workflow") return "workflow";
  return "unknown";
}

/** The digest of a whole stored result (what run-list.ts reads in SQL). */
export function runDigest(result: unknown): RunDigest {
  const nodes = isObject(result) && isObject(result.nodes) ? Object.values(result.nodes) : [];
  const outputs = nodes.map((n) => (isObject(n) && isObject(n.output) ? n.output : null)).filter((o): o is Record<string, unknown> => o !== null);
  const stored = isObject(result) && isObject(result.trigger) && typeof result.trigger.kind === "string" ? result.trigger.kind : null;
  const fromNode = outputs.map((o) => (isObject(o.trigger) && typeof o.trigger.kind === "string" ? o.trigger.kind : null)).find((k) => k !== null) ?? null;
  return {
    triggerKind: stored ?? fromNode,
    signalTables: outputs.filter((o) => "signals" in o).map((o) => o.signals),
    alerts: outputs.filter((o) => "alert" in o).map((o) => o.alert),
  };
}

const VN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const VN_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\+07:00$/;

/** A stored bar time (already Vietnam time) as dd/MM/yyyy, or dd/MM/yyyy HH:mm for an intraday bar. */
export function vnBarTimeText(time: unknown): string | null {
  if (typeof time !== "string") return null;
  let m = VN_DATE.exec(time);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  m = VN_ISO.exec(time);
  if (m) return `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}`;
  return time;
}

const valueFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

const triggerTextOf = (trigger: RunSignal["trigger"]) => (trigger ? `${trigger.label} ${valueFormat.format(trigger.value)}` : null);

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function symbolList(symbols: string[], max = 3): string {
  const distinct = [...new Set(symbols)];
  return distinct.length <= max ? distinct.join(", ") : `${distinct.slice(0, max).join(", ")} +${distinct.length - max} more`;
}

/** The first line of a failure, short enough for a list. */
function shortReason(message: string | null | undefined, max = 90): string {
  const line = (message ?? "").split("\n")[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** A few words for a list, from the run's status, error and digest. */
export function summariseRun(run: { status: string; errorMessage?: string | null }, digest: RunDigest): Pick<RunOutcome, "mode" | "summary" | "tone"> {
  const mode = modeOf(digest.triggerKind);
  if (run.status === "pending") return { mode, summary: "Queued", tone: "pending" };
  if (run.status === "running") return { mode, summary: "Running", tone: "pending" };
  if (run.status === "failed") {
    const reason = shortReason(run.errorMessage);
    return { mode, summary: reason ? `Failed: ${reason}` : "Failed", tone: "failed" };
  }
  let count = 0;
  const symbols: string[] = [];
  for (const table of digest.signalTables) {
    const rows = storedArray(table);
    if (!rows) continue;
    count += rows.size;
    for (const r of rows.items) if (isObject(r) && typeof r.symbol === "string") symbols.push(r.symbol);
  }
  const alerts = digest.alerts.filter(isObject);
  const parts: string[] = [];
  if (count > 0) parts.push(`${plural(count, "signal")}: ${symbolList(symbols)}`);
  if (alerts.length > 0) {
    const alertSymbols = alerts.flatMap((a) => (Array.isArray(a.symbols) ? a.symbols.filter((s): s is string => typeof s === "string") : []));
    const titles = [...new Set(alerts.map((a) => String(a.title ?? "alert")))];
    parts.push(`${plural(alerts.length, "alert")}: ${titles.slice(0, 2).join(", ")}${alertSymbols.length && count === 0 ? ` (${symbolList(alertSymbols)})` : ""}`);
  }
  if (parts.length === 0) return { mode, summary: "No signals", tone: "quiet" };
  return { mode, summary: parts.join(" · "), tone: "signal" };
}

// ---------------------------------------------------------------- the value that triggered

interface StoredNode {
  status?: string;
  output?: Record<string, unknown>;
}
type Graph = { nodes?: GraphNode[]; edges?: GraphEdge[] } | null | undefined;

/**
 * The series a condition node's verdict was read from: walking up from `nodeId` through boolean wires
 * (And, Or, Not) to the first series wire (Threshold's series, Compare's and Crosses' A).
 */
export function triggeringSeries(graph: Graph, nodeId: string, registry: NodeRegistry = defaultRegistry): { nodeId: string; port: string } | null {
  const nodes = new Map((graph?.nodes ?? []).map((n) => [n.id, n]));
  const edges = graph?.edges ?? [];
  const seen = new Set<string>();
  let frontier = [nodeId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      if (seen.has(id)) continue;
      seen.add(id);
      const target = nodes.get(id);
      const targetDef = registry.get(target?.type ?? "");
      // Wires in the order of the target's ports ("a" before "b"), so Compare reads its left side.
      const rank = (e: GraphEdge) => targetDef?.inputs.findIndex((p) => p.id === resolvePort(targetDef.inputs, e.targetHandle)?.id) ?? 0;
      const incoming = edges.filter((e) => e.target === id).sort((x, y) => rank(x) - rank(y));
      for (const e of incoming) {
        const source = nodes.get(e.source);
        const port = resolvePort(registry.get(source?.type ?? "")?.outputs, e.sourceHandle);
        if (!port) continue;
        if (port.type === "series") return { nodeId: e.source, port: port.id };
        if (port.type === "boolean") next.push(e.source);
      }
    }
    frontier = next;
  }
  return null;
}

/** The stored value of a symbol's series at a stored bar time (null when that point was not kept). */
function valueAt(series: unknown, time: string | null): number | null {
  if (!isObject(series) || time === null) return null;
  const times = storedArray(series.times);
  const values = storedArray(series.values);
  if (!times || !values || times.items.length !== values.items.length) return null;
  for (let i = times.items.length - 1; i >= 0; i--) {
    if (times.items[i] === time) {
      const v = values.items[i];
      return typeof v === "number" && Number.isFinite(v) ? v : null;
    }
  }
  return null;
}

/**
 * The outcome of a stored run for its page: mode, summary, each signal with the value that triggered
 * it, each alert with its text. `graph` is the workflow's graph (the values are looked up through it;
 * a node since removed simply shows no value).
 */
export function runOutcome(
  run: { status: string; errorMessage?: string | null; result: unknown },
  graph: Graph,
  registry: NodeRegistry = defaultRegistry,
): RunOutcome {
  const head = summariseRun(run, runDigest(run.result));
  const stored = isObject(run.result) && isObject(run.result.nodes) ? (run.result.nodes as Record<string, StoredNode>) : {};
  const graphNodes = new Map((graph?.nodes ?? []).map((n) => [n.id, n]));
  const labelOf = (id: string) => {
    const n = graphNodes.get(id);
    return n?.data?.label ?? registry.get(n?.type ?? "")?.label ?? id;
  };
  const evidence = (nodeId: string) => {
    const source = triggeringSeries(graph, nodeId, registry);
    const output = source ? stored[source.nodeId]?.output?.[source.port] : undefined;
    return (symbol: string, time: string | null): RunSignal["trigger"] => {
      if (!source || !isObject(output)) return null;
      const value = valueAt(output[symbol], time);
      return value === null ? null : { label: labelOf(source.nodeId), value };
    };
  };
  const signal = (symbol: string, time: string | null, reason: string | null, triggerOf: ReturnType<typeof evidence>): RunSignal => {
    const trigger = triggerOf(symbol, time);
    const timeText = vnBarTimeText(time);
    const triggerText = triggerTextOf(trigger);
    return { symbol, time, timeText, reason, trigger, triggerText, text: [symbol, triggerText, timeText].filter(Boolean).join(" · ") };
  };

  const signals: RunSignal[] = [];
  const alerts: RunAlert[] = [];
  let signalsNotShown = 0;
  // Graph order first (then any stored node the graph no longer has), so the page reads as the canvas does.
  const ids = [...new Set([...graphNodes.keys(), ...Object.keys(stored)])].filter((id) => stored[id]);
  for (const id of ids) {
    const output = stored[id]!.output;
    if (!isObject(output)) continue;
    if ("signals" in output) {
      const rows = storedArray(output.signals);
      if (rows) {
        const triggerOf = evidence(id);
        signalsNotShown += rows.size - rows.items.length;
        for (const r of rows.items) {
          if (!isObject(r) || typeof r.symbol !== "string") continue;
          signals.push(signal(r.symbol, typeof r.time === "string" ? r.time : null, typeof r.reason === "string" ? r.reason : null, triggerOf));
        }
      }
    }
    if (isObject(output.alert)) {
      const a = output.alert;
      const symbols = Array.isArray(a.symbols) ? a.symbols.filter((s): s is string => typeof s === "string") : [];
      const barTime = typeof a.barTime === "string" ? a.barTime : null;
      const triggerOf = evidence(id);
      alerts.push({
        title: typeof a.title === "string" ? a.title : "Alert",
        severity: typeof a.severity === "string" ? a.severity : "info",
        message: typeof a.message === "string" ? a.message : "",
        symbols,
        barTimeText: vnBarTimeText(barTime),
        signals: symbols.map((s) => signal(s, barTime, null, triggerOf)),
      });
    }
  }
  return { ...head, signals, signalsNotShown, alerts };
}
