/**
 * CSV uploads' body limit, answered before the body is read: proxy.ts asks this first. Next buffers a
 * request's body for the proxy (up to `experimental.proxyClientMaxBodySize`, next.config.mjs) before
 * the route runs, so an oversized upload that announces its size is refused here without being read.
 * One sent without Content-Length is counted while the route streams it (lib/market/csv-import.ts).
 */
import { CSV_TOO_LARGE, MAX_CSV_REQUEST_BYTES } from "@/lib/market/csv-limits";

/** The routes that take a CSV file. */
export const CSV_UPLOAD_PATHS: readonly string[] = ["/api/candles/import", "/api/candles/correct"];

export function csvUploadTooLarge(request: Request): Response | undefined {
  if (request.method !== "POST" || !CSV_UPLOAD_PATHS.includes(new URL(request.url).pathname)) return undefined;
  const length = Number(request.headers.get("content-length") ?? "");
  if (!Number.isFinite(length) || length <= MAX_CSV_REQUEST_BYTES) return undefined;
  return Response.json({ error: CSV_TOO_LARGE }, { status: 413, headers: { "cache-control": "no-store" } });
}
