/**
 * POST /api/candles/import (admins only; multipart: file, symbol, unit, resolution, mode "preview"|"import",
 * skipBadRows "true"|"false", confirmWarnings "true"|"false"): a CSV of candles
 * (lib/market/csv-import.ts). preview answers { rows, preview, problems, warnings }; import answers
 * { imported, skipped }, or 400 with nothing stored: with every problem when a row is bad and
 * skipBadRows is false, with the warnings when the unit looks wrong and confirmWarnings is false.
 */
import { z } from "zod";
import { json, withSharedDataWriter } from "@/app/_lib/route";
import { getPool } from "@/db/client";
import {
  csvOptionsSchema,
  CsvFileError,
  CsvRejectedError,
  CsvUnconfirmedError,
  importCandleCsv,
  MAX_CSV_BYTES,
  previewCandleCsv,
} from "@/lib/market/csv-import";
import { UnknownSymbolError } from "@/lib/market/symbols";
import { toVnIso } from "@/lib/time";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const TOO_BIG = `The file is larger than the ${MAX_CSV_BYTES / 1048576} MB limit.`;

const formSchema = csvOptionsSchema.extend({
  mode: z.enum(["preview", "import"], { error: 'mode must be "preview" or "import"' }),
  skipBadRows: z.enum(["true", "false"], { error: 'skipBadRows must be "true" or "false"' }).default("false").transform((v) => v === "true"),
  confirmWarnings: z
    .enum(["true", "false"], { error: 'confirmWarnings must be "true" or "false"' })
    .default("false")
    .transform((v) => v === "true"),
});

export const POST = withSharedDataWriter(async (request) => {
  // Refused before reading the body; the multipart envelope adds a little to the file's size.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_CSV_BYTES + 64 * 1024) return json({ error: TOO_BIG }, 413);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return json({ error: "Send the file as multipart/form-data (fields: file, symbol, unit, resolution, mode, skipBadRows, confirmWarnings)." }, 400);
  }
  const file = form.get("file");
  if (!(file instanceof File)) return json({ error: "file is missing: attach the CSV file." }, 400);
  if (file.size > MAX_CSV_BYTES) return json({ error: TOO_BIG }, 413);
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  const parsed = formSchema.safeParse(fields);
  if (!parsed.success) return json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, 400);
  const { mode, skipBadRows, confirmWarnings, ...opts } = parsed.data;
  const text = Buffer.from(await file.arrayBuffer());
  try {
    if (mode === "preview") {
      const preview = await previewCandleCsv(getPool(), text, opts);
      return json({ ...preview, preview: preview.preview.map((b) => ({ time: toVnIso(b.time), open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume })) });
    }
    return json(await importCandleCsv(getPool(), text, { ...opts, skipBadRows, confirmWarnings }));
  } catch (error) {
    if (error instanceof CsvRejectedError) return json({ error: error.message, problems: error.problems }, 400);
    if (error instanceof CsvUnconfirmedError) return json({ error: error.message, warnings: error.warnings }, 400);
    if (error instanceof CsvFileError || error instanceof UnknownSymbolError) return json({ error: error.message }, 400);
    throw error;
  }
});
