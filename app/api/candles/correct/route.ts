/**
 * POST /api/candles/correct: deletes a symbol's bars in [from, to), or replaces them, and refreshes the
 * 1h/1D rollups at once (lib/market/corrections.ts). Either JSON { symbol, resolution: "1m"|"1D",
 * action: "delete"|"replace", from, to, bars?: [{ time, open, high, low, close, volume }] } or
 * multipart (fields symbol, resolution, action, from, to, unit, and for "replace" a CSV file in the
 * import's format). Instants without a zone are Vietnam time. Answers { symbol, resolution, from, to
 * (+07:00), deleted, written, changed, changes: up to 20 × { symbol, time, before, after | null } }; 400 with
 * { error, problems? } and nothing changed when anything is wrong (a replacement bar outside the sanity bounds too).
 * The same permission as the CSV import and the DNSE backfill: an admin (403 for an analyst).
 */
import { z } from "zod";
import { shapeCandleChanges } from "@/app/_lib/candle-changes";
import { json, withSharedDataWriter } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import { CandleValidationError } from "@/lib/market/candle-validation";
import { CorrectionError, CorrectionRefreshError, correctCandles, correctionFieldsSchema, replacementBarsFromCsv, type CorrectionResult } from "@/lib/market/corrections";
import { CsvFileError, MAX_CSV_BYTES } from "@/lib/market/csv-import";
import { UnknownSymbolError } from "@/lib/market/symbols";
import { parseInstant, toVnIso } from "@/lib/time";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const TOO_BIG = `The file is larger than the ${MAX_CSV_BYTES / 1048576} MB limit.`;

/** A replacement bar as JSON: its time as text (as `from`/`to`) or epoch milliseconds. */
const jsonBarSchema = z.looseObject({
  time: z.union([z.string(), z.number()], { error: "a bar's time is required" }).transform((v) => (typeof v === "number" ? new Date(v) : (parseInstant(v) ?? new Date(NaN)))),
});
const jsonBodySchema = correctionFieldsSchema.extend({ bars: z.array(jsonBarSchema, { error: "bars must be an array of bars" }).optional() });

const answer = (r: CorrectionResult) => ({
  symbol: r.symbol,
  resolution: r.resolution,
  from: toVnIso(r.from),
  to: toVnIso(r.to),
  deleted: r.deleted,
  written: r.written,
  changed: r.changed,
  changes: shapeCandleChanges(r.changes),
});
const issues = (e: z.ZodError) => e.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ` : "") + i.message).join("; ");

export const POST = withSharedDataWriter(async (request, user) => {
  const multipart = (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
  if (multipart && Number(request.headers.get("content-length") ?? 0) > MAX_CSV_BYTES + 64 * 1024) return json({ error: TOO_BIG }, 413);
  try {
    let input: Parameters<typeof correctCandles>[1];
    if (multipart) {
      let form: FormData;
      try {
        form = await request.formData();
      } catch {
        return json({ error: "The form could not be read: send multipart/form-data (fields: symbol, resolution, action, from, to, unit, file)." }, 400);
      }
      const parsed = correctionFieldsSchema.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")));
      if (!parsed.success) return json({ error: `Nothing was changed: ${issues(parsed.error)}` }, 400);
      const file = form.get("file");
      if (file instanceof File && file.size > MAX_CSV_BYTES) return json({ error: TOO_BIG }, 413);
      const bars = file instanceof File && parsed.data.action === "replace" ? replacementBarsFromCsv(Buffer.from(await file.arrayBuffer()), parsed.data) : [];
      input = { ...parsed.data, bars };
    } else {
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        return json({ error: "Send JSON { symbol, resolution, action, from, to, bars? } or a multipart form with a CSV file." }, 400);
      }
      const parsed = jsonBodySchema.safeParse(body);
      if (!parsed.success) return json({ error: `Nothing was changed: ${issues(parsed.error)}` }, 400);
      const symbol = parsed.data.symbol.trim().toUpperCase();
      input = { ...parsed.data, bars: (parsed.data.bars ?? []).map((b) => ({ symbol, ...b })) };
    }
    return json(answer(await correctCandles(getPool(), input, { userId: user.id })));
  } catch (error) {
    if (error instanceof CorrectionError) return json({ error: error.message, ...(error.problems.length ? { problems: error.problems } : {}) }, 400);
    if (error instanceof CandleValidationError) return json({ error: error.message }, 400);
    if (error instanceof CsvFileError || error instanceof UnknownSymbolError) return json({ error: error.message }, 400);
    if (error instanceof CorrectionRefreshError) return json({ error: error.message, corrected: answer(error.result) }, 500);
    throw error;
  }
});
