/** Triggers: what starts a run. They pass the trigger event on so data nodes can hang off them. */
import { z } from "zod";
import { parseCron } from "../cron";
import { defineNode } from "./define";

const out = [{ id: "trigger", label: "Trigger", type: "trigger" as const }];

export const manualTrigger = defineNode({
  type: "trigger.manual",
  label: "Manual trigger",
  category: "trigger",
  description: "Starts the workflow when you press Run.",
  inputs: [],
  outputs: out,
  params: z.object({}),
  execute: (_inputs, _params, ctx) => ({ trigger: ctx.trigger }),
});

/** A 5-field cron; its own parser's message says what is wrong (e.g. a seconds field). */
export const cronExpression = z.string().superRefine((value, issue) => {
  try {
    parseCron(value);
  } catch (e) {
    issue.addIssue({ code: "custom", message: `cron: ${(e as Error).message}` });
  }
});

export const scheduleParams = z.object({
  cron: cronExpression,
  /** Skip weekends and the exchanges' holidays (lib/market/calendar.ts). */
  tradingDaysOnly: z.boolean().default(true),
});

export const scheduleTrigger = defineNode({
  type: "trigger.schedule",
  label: "Schedule",
  category: "trigger",
  description: "Runs on a cron schedule in Vietnam time (Asia/Ho_Chi_Minh), optionally on trading days only.",
  inputs: [],
  outputs: out,
  params: scheduleParams,
  execute: (_inputs, _params, ctx) => ({ trigger: ctx.trigger }),
});

export const triggerNodes = [manualTrigger, scheduleTrigger];
