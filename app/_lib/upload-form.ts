/**
 * Reading a CSV upload's multipart form with the size limit enforced: refused from its Content-Length
 * before anything is read, else counted while the body streams in (a body sent without
 * Content-Length, or one that lies). The form's file is then read as a stream by lib/market/csv-import.ts.
 */
import { CSV_TOO_LARGE, MAX_CSV_REQUEST_BYTES } from "@/lib/market/csv-limits";
import { json } from "./route";

class BodyTooLarge extends Error {}

/** The form, or the answer: 413 over the limit, 400 `badForm` for a body that is not multipart/form-data. */
export async function readCsvUploadForm(request: Request, badForm: string): Promise<FormData | Response> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_CSV_REQUEST_BYTES) return json({ error: CSV_TOO_LARGE }, 413);
  if (!request.body) return json({ error: badForm }, 400);
  let bytes = 0;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > MAX_CSV_REQUEST_BYTES) controller.error(new BodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  try {
    return await new Response(counted, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    return bytes > MAX_CSV_REQUEST_BYTES ? json({ error: CSV_TOO_LARGE }, 413) : json({ error: badForm }, 400);
  }
}
