/**
 * The side panel's form, generated from a node type's zod parameter schema: one field per parameter
 * (number, text, true/false, a choice, or a list of symbols), and the form's text read back into
 * params that the same schema then validates. Pure, so it is unit-tested.
 */
import type { z } from "zod";

export type ParamField =
  | { kind: "number"; name: string; label: string; optional: boolean; integer: boolean; min?: number; max?: number }
  | { kind: "text"; name: string; label: string; optional: boolean }
  | { kind: "boolean"; name: string; label: string; optional: boolean }
  | { kind: "choice"; name: string; label: string; optional: boolean; options: string[] }
  | { kind: "list"; name: string; label: string; optional: boolean };

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  checks?: { _zod: { def: { check: string; value?: number; inclusive?: boolean; format?: string } } }[];
  in?: z.ZodType;
}

const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** "tradingDaysOnly" → "Trading days only"; a few names read better spelled out. */
export function paramLabel(name: string): string {
  const special: Record<string, string> = { n: "Top N", cron: "Cron (minute hour day month weekday, GMT+7)", latestOnly: "Latest bar only", tradingDaysOnly: "Trading days only", k: "Width (standard deviations)", channels: "Channels (names, comma-separated, or all)", notify: "Notify", notifyManualRuns: "Notify on manual runs" };
  if (special[name]) return special[name];
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function paramFields(schema: z.ZodType): ParamField[] {
  let s = schema;
  while (defOf(s).type === "pipe" && defOf(s).in) s = defOf(s).in!;
  const shape = defOf(s).shape;
  if (!shape) return [];
  return Object.entries(shape).map(([name, field]) => fieldOf(name, field));
}

function fieldOf(name: string, schema: z.ZodType): ParamField {
  let s = schema;
  let optional = false;
  for (;;) {
    const d = defOf(s);
    if ((d.type === "default" || d.type === "optional" || d.type === "nullable" || d.type === "prefault") && d.innerType) {
      optional = true;
      s = d.innerType;
    } else break;
  }
  const d = defOf(s);
  const label = paramLabel(name);
  switch (d.type) {
    case "number": {
      let min: number | undefined;
      let max: number | undefined;
      let integer = false;
      for (const c of d.checks ?? []) {
        const cd = c._zod.def;
        if (cd.check === "greater_than") min = cd.value;
        if (cd.check === "less_than") max = cd.value;
        if (cd.check === "number_format" && cd.format?.includes("int")) integer = true;
      }
      return { kind: "number", name, label, optional, integer, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
    case "boolean":
      return { kind: "boolean", name, label, optional };
    case "enum":
      return { kind: "choice", name, label, optional, options: Object.values(d.entries ?? {}).map(String) };
    case "array":
      return { kind: "list", name, label, optional };
    default:
      return { kind: "text", name, label, optional };
  }
}

/** A parameter as its input shows it. */
export function fieldText(field: ParamField, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (field.kind === "list") return Array.isArray(value) ? value.join(", ") : String(value);
  return String(value);
}

/**
 * The input's text as the parameter value: numbers as numbers (text that is not one is kept, so the
 * schema names the mistake), lists split on commas or spaces (symbols upper-cased), empty optional
 * fields left out.
 */
export function parseFieldText(field: ParamField, text: string): unknown {
  const t = text.trim();
  if (field.kind === "boolean") return text === "true";
  if (t === "" && field.optional) return undefined;
  if (field.kind === "number") {
    const n = Number(t.replace(/,/g, ""));
    return t !== "" && Number.isFinite(n) ? n : t;
  }
  if (field.kind === "list") return t.split(/[\s,;]+/).filter(Boolean).map((s) => s.toUpperCase());
  return text;
}

/** Sets (or, for undefined, removes) one parameter. */
export function withParam(params: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const next = { ...params };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}
