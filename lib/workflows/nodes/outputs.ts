/**
 * Output nodes: the signal list and alerts a run produces. The engine's caller stores them with the run
 * (workflow_execution_logs) and, as their notify parameters say, lib/notifications delivers them; the value-chain, portfolio and memory issues add their own output nodes
 * through createRegistry.
 */
import { z } from "zod";
import { plainText } from "@/lib/text";
import { toVnIso } from "../../time";
import type { Alert, BooleanBySymbol, TableRows } from "../types";
import { defineNode } from "./define";
import { barTimeText, commonBar, input } from "./series-ops";

const conditionIn = { id: "condition", label: "Condition", type: "boolean" as const, required: true };

/**
 * Who hears of an output (lib/notifications/delivery.ts): the notification centre and the named channels
 * (Settings → Notifications; "all", or names separated by commas; empty: the centre only), every time or
 * only when the set of symbols changed since the last run; a manual run notifies only when asked.
 */
const notifyParams = (defaultMode: "changed" | "never") => ({
  notify: z.enum(["changed", "every", "never"]).default(defaultMode),
  channels: plainText("channels").max(300).default(""),
  notifyManualRuns: z.boolean().default(false),
});

export const signalListNode = defineNode({
  type: "output.signals",
  label: "Signal list",
  category: "output",
  description: "One row (symbol, time, reason) per bar where the condition holds; by default only the latest bar.",
  inputs: [conditionIn],
  outputs: [{ id: "signals", label: "Signals", type: "table" }],
  params: z.object({ reason: plainText("reason").min(1).max(200), latestOnly: z.boolean().default(true), ...notifyParams("never") }),
  execute(inputs, p) {
    const signals: TableRows = [];
    for (const [symbol, s] of Object.entries(input<BooleanBySymbol>(inputs, "condition")).sort(([a], [b]) => a.localeCompare(b))) {
      const from = p.latestOnly ? s.values.length - 1 : 0;
      for (let i = Math.max(from, 0); i < s.values.length; i++) {
        if (s.values[i]) signals.push({ symbol, time: barTimeText(s.times[i] as number, s.resolution), reason: p.reason });
      }
    }
    return { signals };
  },
});

export const alertNode = defineNode({
  type: "output.alert",
  label: "Alert",
  category: "output",
  description: "Raises an alert, stored with the run, naming the symbols whose condition holds at the latest bar time most symbols share (those with no bar then are named as left out).",
  inputs: [conditionIn],
  outputs: [{ id: "alert", label: "Alert", type: "alert" }],
  params: z.object({
    title: plainText("title").min(1).max(120),
    severity: z.enum(["info", "warning", "critical"]).default("info"),
    message: plainText("message", { multiline: true }).max(500).default(""),
    ...notifyParams("changed"),
  }),
  execute(inputs, p, ctx) {
    const bar = commonBar(input<BooleanBySymbol>(inputs, "condition"));
    const symbols = bar.values.filter(([, holds]) => holds).map(([symbol]) => symbol);
    const barTime = bar.time === undefined ? null : barTimeText(bar.time, bar.resolution);
    // No symbol qualifies: no alert (null), so the caller stores nothing to show.
    const alert: Alert | null =
      symbols.length === 0 ? null : { title: p.title, severity: p.severity, message: p.message, symbols, at: toVnIso(ctx.now()), barTime, leftOut: bar.leftOut };
    return { alert, info: { barTime, compared: bar.values.length, leftOut: bar.leftOut } };
  },
});

export const outputNodes = [signalListNode, alertNode];
