/** The 20 MB limit of CSV uploads is the real one: Next's proxy lets such a body through whole, and refuses a larger one early. */
import { describe, expect, it } from "vitest";
import { CSV_TOO_LARGE, MAX_CSV_BYTES, MAX_CSV_REQUEST_BYTES } from "@/lib/market/csv-limits";
import { csvUploadTooLarge } from "./csv-upload-limit";

const post = (path: string, length?: number) =>
  new Request(`http://localhost${path}`, { method: "POST", headers: length === undefined ? {} : { "content-length": String(length) } });

describe("CSV upload limit", () => {
  it("Next's proxy buffers bodies beyond the routes' limit, so a 20 MB file arrives whole (it cut them at 10 MB)", async () => {
    // @ts-expect-error: next.config.mjs is plain JavaScript without types.
    const { default: nextConfig } = await import("@/next.config.mjs");
    const limit = (nextConfig as { experimental?: { proxyClientMaxBodySize?: number } }).experimental?.proxyClientMaxBodySize;
    expect(MAX_CSV_BYTES).toBe(20 * 1024 * 1024);
    expect(limit).toBeGreaterThan(MAX_CSV_REQUEST_BYTES);
  });

  it("the proxy answers 413 with the app's message to an upload announcing more, before reading it", async () => {
    for (const path of ["/api/candles/import", "/api/candles/correct"]) {
      const refused = csvUploadTooLarge(post(path, MAX_CSV_REQUEST_BYTES + 1))!;
      expect(refused.status).toBe(413);
      expect(await refused.json()).toEqual({ error: CSV_TOO_LARGE });
      expect(csvUploadTooLarge(post(path, MAX_CSV_REQUEST_BYTES))).toBeUndefined();
      // No length given: the route counts the body as it streams in.
      expect(csvUploadTooLarge(post(path))).toBeUndefined();
    }
    expect(csvUploadTooLarge(post("/api/candles", 50 * 1024 * 1024))).toBeUndefined();
  });
});
