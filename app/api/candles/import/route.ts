/**
 * POST /api/candles/import (admins only; multipart: file, symbol, unit, resolution, mode "preview"|"import",
 * skipBadRows "true"|"false", confirmWarnings "true"|"false"): a CSV of candles
 * (lib/market/csv-import.ts). preview answers { rows, preview, problems, warnings, outOfBounds, changed,
 * changes }; import answers { imported, skipped, changed, changes }, or 400 with nothing stored: with
 * every problem when a row is bad and skipBadRows is false, with the warnings when the unit looks wrong
 * and confirmWarnings is false, with outOfBounds when a bar is outside the sanity bounds. changes: up to
 * 20 stored bars the file replaces, { symbol, time (+07:00), before, after }.
 * A file over 20 MB answers 413 with nothing stored: from Content-Length before the body is read
 * (proxy.ts, then here), else as soon as the count passes the limit. The file is parsed as a stream.
 */
import { z } from "zod";
import { shapeCandleChanges } from "@/app/_lib/candle-changes";
import { json, withSharedDataWriter } from "@/app/_lib/route";
import { readCsvUploadForm } from "@/app/_lib/upload-form";
import { getPool } from "@/db/client";
import {
  CSV_TOO_LARGE,
  csvOptionsSchema,
  CsvFileError,
  CsvOutOfBoundsError,
  CsvRejectedError,
  CsvTooLargeError,
  CsvUnconfirmedError,
  importCandleCsv,
  MAX_CSV_BYTES,
  previewCandleCsv,
} from "@/lib/market/csv-import";
import { UnknownSymbolError } from "@/lib/market/symbols";
import { toVnIso } from "@/lib/time";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const formSchema = csvOptionsSchema.extend({
  mode: z.enum(["preview", "import"], { error: 'mode must be "preview" or "import"' }),
  skipBadRows: z.enum(["true", "false"], { error: 'skipBadRows must be "true" or "false"' }).default("false").transform((v) => v === "true"),
  confirmWarnings: z
    .enum(["true", "false"], { error: 'confirmWarnings must be "true" or "false"' })
    .default("false")
    .transform((v) => v === "true"),
});

export const POST = withSharedDataWriter(async (request, user) => {
  const form = await readCsvUploadForm(request, "Send the file as multipart/form-data (fields: file, symbol, unit, resolution, mode, skipBadRows, confirmWarnings).");
  if (form instanceof Response) return form;
  const file = form.get("file");
  if (!(file instanceof File)) return json({ error: "file is missing: attach the CSV file." }, 400);
  if (file.size > MAX_CSV_BYTES) return json({ error: CSV_TOO_LARGE }, 413);
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
  const parsed = formSchema.safeParse(fields);
  if (!parsed.success) return json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, 400);
  const { mode, skipBadRows, confirmWarnings, ...opts } = parsed.data;
  try {
    if (mode === "preview") {
      const preview = await previewCandleCsv(getPool(), file.stream(), opts);
      return json({
        ...preview,
        preview: preview.preview.map((b) => ({ time: toVnIso(b.time), open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume })),
        changes: shapeCandleChanges(preview.changes),
      });
    }
    const result = await importCandleCsv(getPool(), file.stream(), { ...opts, skipBadRows, confirmWarnings, userId: user.id });
    return json({ ...result, changes: shapeCandleChanges(result.changes) });
  } catch (error) {
    if (error instanceof CsvTooLargeError) return json({ error: error.message }, 413);
    if (error instanceof CsvRejectedError) return json({ error: error.message, problems: error.problems }, 400);
    if (error instanceof CsvUnconfirmedError) return json({ error: error.message, warnings: error.warnings }, 400);
    if (error instanceof CsvOutOfBoundsError) return json({ error: error.message, outOfBounds: error.problems }, 400);
    if (error instanceof CsvFileError || error instanceof UnknownSymbolError) return json({ error: error.message }, 400);
    throw error;
  }
});
