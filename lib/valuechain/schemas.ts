/**
 * The shapes of the value chain at its boundaries (forms, route bodies, the analysis store), as zod
 * schemas: the same rules the database holds (drizzle/0000 and 0011), said in words a form can show.
 */
import { z } from "zod";
import { NODE_TYPES } from "@/db/schema";
import { plainText } from "@/lib/text";

export { NODE_TYPES };
export type NodeType = (typeof NODE_TYPES)[number];

/** Lead-lag windows the analysis offers, in years of daily bars. */
export const ANALYSIS_WINDOWS = [1, 3, 5] as const;
export type AnalysisWindow = (typeof ANALYSIS_WINDOWS)[number];
/** Bounds of a lead or lag, in trading days (about a year). */
export const MAX_LAG_DAYS = 250;

/** Text that may be left empty: trimmed, and empty means none (null). */
const optionalText = (label: string, max: number, multiline = false) =>
  plainText(label, { multiline, error: `${label} must be text` })
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

const requiredText = (label: string, max: number) =>
  plainText(label, { error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`);

const nodeTypeSchema = z.enum(NODE_TYPES, { error: "node type must be Upstream, Midstream or Downstream" });

/** A ticker as stored in market_symbols: upper case; empty means the node is not listed. */
const symbolSchema = plainText("symbol", { error: "symbol must be text" })
  .trim()
  .toUpperCase()
  .max(20, "symbol must be at most 20 characters")
  .regex(/^([A-Z0-9][A-Z0-9_]*)?$/, "symbol may hold only letters, digits and '_' (not first), such as HPG or IRON_ORE")
  .nullish()
  .transform((v) => (v ? v : null));

const correlationSchema = z
  .number({ error: "correlation must be a number" })
  .min(-1, "correlation must be between -1 and 1")
  .max(1, "correlation must be between -1 and 1")
  .nullish()
  .transform((v) => v ?? null);

const leadSchema = z
  .int({ error: "lead time must be a whole number of trading days" })
  .min(-MAX_LAG_DAYS, `lead time must be within ±${MAX_LAG_DAYS} trading days`)
  .max(MAX_LAG_DAYS, `lead time must be within ±${MAX_LAG_DAYS} trading days`)
  .nullish()
  .transform((v) => v ?? null);

const weightSchema = z
  .number({ error: "weight must be a number" })
  .min(0, "weight must be between 0 and 1")
  .max(1, "weight must be between 0 and 1")
  .nullish()
  .transform((v) => v ?? null);

const nodeIdSchema = (label: string) => z.uuid({ error: `${label} must be a node id (a UUID)` });

export const nodeInputSchema = z.strictObject(
  {
    name: requiredText("name", 255),
    sector: requiredText("sector", 255),
    nodeType: nodeTypeSchema,
    symbol: symbolSchema,
    description: optionalText("description", 2000, true),
  },
  { error: (i) => (i.code === "unrecognized_keys" ? `unknown field(s): ${i.keys.join(", ")}` : "send a node as a JSON object") },
);
export type NodeInput = z.input<typeof nodeInputSchema>;
export type NodeFields = z.output<typeof nodeInputSchema>;

export const nodePatchSchema = nodeInputSchema
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change: send at least one of name, sector, nodeType, symbol, description");
export type NodePatch = z.input<typeof nodePatchSchema>;

const edgeShape = {
  sourceId: nodeIdSchema("sourceId"),
  targetId: nodeIdSchema("targetId"),
  relationship: optionalText("relationship", 255),
  correlationCoeff: correlationSchema,
  leadTimeDays: leadSchema,
  weight: weightSchema,
};
const edgeObjectError = (i: { code: string; keys?: string[] }) =>
  i.code === "unrecognized_keys" ? `unknown field(s): ${(i.keys ?? []).join(", ")}` : "send an edge as a JSON object";

export const SELF_LOOP_MESSAGE = "an edge cannot link a node to itself: choose another target";

export const edgeInputSchema = z
  .strictObject(edgeShape, { error: edgeObjectError })
  .refine((e) => e.sourceId !== e.targetId, { message: SELF_LOOP_MESSAGE, path: ["targetId"] });
export type EdgeInput = z.input<typeof edgeInputSchema>;
export type EdgeFields = z.output<typeof edgeInputSchema>;

export const edgePatchSchema = z
  .strictObject(edgeShape, { error: edgeObjectError })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change: send at least one field of the edge")
  .refine((e) => e.sourceId === undefined || e.sourceId !== e.targetId, { message: SELF_LOOP_MESSAGE, path: ["targetId"] });
export type EdgePatch = z.input<typeof edgePatchSchema>;

const isoDate = z.iso.date({ error: "asOf must be a date YYYY-MM-DD" });

/** ρ at one lag k (null when it could not be computed), and the pairs it was computed on (n − |k|). */
export const lagSchema = z.object({
  k: z.int(),
  rho: z.number().min(-1).max(1).nullable(),
  n: z.int().positive().optional(),
});
export type LagCorrelation = z.infer<typeof lagSchema>;

/** One lead-lag result as lib/analytics computes it, to be stored for an edge (lib/valuechain/analyses.ts). */
export const analysisResultSchema = z
  .object({
    windowYears: z.literal(ANALYSIS_WINDOWS, { error: "windowYears must be 1, 3 or 5" }),
    asOf: isoDate,
    maxLag: z.int().min(1).max(MAX_LAG_DAYS),
    n: z.int().positive(),
    leadTimeDays: z.int(),
    correlation: z.number().min(-1).max(1),
    significant: z.boolean(),
    band: z.number().positive().finite(),
    plainBand: z.number().positive().finite(),
    weight: z.number().min(0).max(1),
    lags: z.array(lagSchema),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((a) => Math.abs(a.leadTimeDays) <= a.maxLag, { message: "leadTimeDays must be within ±maxLag", path: ["leadTimeDays"] })
  .refine((a) => a.lags.length === 2 * a.maxLag + 1 && a.lags.every((l, i) => l.k === i - a.maxLag), {
    message: "lags must hold k = -maxLag … maxLag in order",
    path: ["lags"],
  });
export type AnalysisResult = z.input<typeof analysisResultSchema>;

export const changeLogQuerySchema = z.object({
  limit: z.coerce.number({ error: "limit must be a number" }).int("limit must be a whole number").min(1, "limit must be 1–200").max(200, "limit must be 1–200").default(50),
  /** The id of the last change of the previous page: the page holds older changes. */
  before: z.coerce.number({ error: "before must be a change id" }).int("before must be a change id").positive("before must be a change id").optional(),
});
export type ChangeLogQuery = z.input<typeof changeLogQuerySchema>;

/** A zod error in one line of plain words: "field: reason; field: reason". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ` : "") + i.message).join("; ");
}
