/** The local lexical embedder, and the OpenAI-compatible client against a local stand-in of the embeddings JSON. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddingsStandIn, type EmbeddingsStandIn } from "@/test/embeddings-stand-in";
import { foldVietnamese } from "./fold";
import { LEXICAL_MODEL, lexicalEmbedder, lexicalVector } from "./lexical-embedder";
import { openAiEmbedder, retryAfterMs } from "./openai-embedder";
import { MEMORY_DIMENSIONS, MemoryBackendError } from "./types";

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe("lexical embedder", () => {
  it("folds Vietnamese: diacritics and đ", () => {
    expect(foldVietnamese("Hòa Phát thép ĐẤT Đồng")).toBe("hoa phat thep dat dong");
    // Both ways Vietnamese places a tone mark, and precomposed vs combining characters.
    expect(foldVietnamese("Hoà")).toBe(foldVietnamese("Hòa"));
    expect(foldVietnamese("Hòa".normalize("NFD"))).toBe("hoa");
  });

  it("gives unit vectors of 1536 dimensions, equal for folded-equal texts", async () => {
    const [a, b, c] = await lexicalEmbedder().embed(["Hòa Phát", "hoa phat", "!!!"]);
    for (const v of [a!, b!, c!]) {
      expect(v).toHaveLength(MEMORY_DIMENSIONS);
      expect(cosine(v, v)).toBeCloseTo(1, 5);
    }
    expect(a).toEqual(b);
    expect(lexicalEmbedder().model).toBe(LEXICAL_MODEL);
  });

  it("scores shared words and spellings above unrelated text", () => {
    const finding = lexicalVector("Giá thép giảm làm tăng rủi ro hàng tồn kho của HPG");
    expect(cosine(lexicalVector("thep"), finding)).toBeGreaterThan(cosine(lexicalVector("ngân hàng"), finding) + 0.05);
    expect(cosine(lexicalVector("HPG ton kho"), finding)).toBeGreaterThan(0.3);
    expect(cosine(lexicalVector("Vietcombank"), finding)).toBeLessThan(0.15);
    // It matches words, not meanings: a synonym in English finds nothing.
    expect(cosine(lexicalVector("steel"), finding)).toBeLessThan(0.15);
  });
});

describe("OpenAI-compatible embeddings client", () => {
  let e: EmbeddingsStandIn;
  beforeAll(async () => {
    e = await startEmbeddingsStandIn();
  });
  afterAll(() => e.close());
  const noSleep = { sleep: async () => undefined };

  it("sends the model and the texts in batches with the key, and puts answers back in order", async () => {
    const before = e.requests.length;
    const embedder = openAiEmbedder({ baseUrl: e.url, apiKey: "sk-test", model: "text-embedding-3-small", batchSize: 2 });
    const texts = ["thép", "Hòa Phát", "ngân hàng", "HPG", "FPT"];
    const vectors = await embedder.embed(texts);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => Array.from(lexicalVector(t))));
    const sent = e.requests.slice(before);
    expect(sent.map((r) => r.body.input)).toEqual([["thép", "Hòa Phát"], ["ngân hàng", "HPG"], ["FPT"]]);
    expect(sent.every((r) => r.authorization === "Bearer sk-test" && r.body.model === "text-embedding-3-small")).toBe(true);
    expect(embedder).toMatchObject({ model: "text-embedding-3-small", kind: "remote" });
  });

  it("retries 429 and 5xx with backoff, honouring Retry-After", async () => {
    const waits: number[] = [];
    const embedder = openAiEmbedder({ baseUrl: e.url, model: "m", backoffMs: 100, sleep: async (ms) => void waits.push(ms) });
    e.script.push({ status: 429, retryAfter: "2" }, { status: 503 }, { status: 500 });
    expect(await embedder.embed(["x"])).toHaveLength(1);
    expect(waits[0]).toBe(2_000);
    expect(waits[1]).toBeGreaterThanOrEqual(150); // 100 × 2, ±25 %
    expect(waits[1]).toBeLessThanOrEqual(250);
    expect(waits[2]).toBeGreaterThanOrEqual(300);
  });

  it("gives up after the retries, or at once on a refusal, a Retry-After too long, or a wrong size; never shows the key", async () => {
    const embedder = openAiEmbedder({ baseUrl: e.url, apiKey: "sk-secret", model: "m", maxRetries: 2, ...noSleep });
    e.script.push({ status: 503 }, { status: 503 }, { status: 503 });
    await expect(embedder.embed(["x"])).rejects.toThrow(/answered HTTP 503; nothing was stored/);
    e.script.push({ status: 401 });
    const refused = await embedder.embed(["x"]).catch((err: Error) => err);
    expect(refused).toBeInstanceOf(MemoryBackendError);
    expect((refused as Error).message).toMatch(/refused the request \(HTTP 401/);
    expect((refused as Error).message).not.toContain("sk-secret");
    e.script.push({ status: 429, retryAfter: "3600" });
    await expect(embedder.embed(["x"])).rejects.toThrow(/asked to wait 3600 s/);
    e.script.push({ dimensions: 768 });
    await expect(embedder.embed(["x"])).rejects.toThrow(/gave 768-dimensional vectors with model m; memories need 1536/);
  });

  it("times out a slow endpoint, and says when it cannot be reached", async () => {
    e.script.push({ stallMs: 1_000 });
    const slow = openAiEmbedder({ baseUrl: e.url, model: "m", timeoutMs: 200, maxRetries: 0 });
    const started = Date.now();
    await expect(slow.embed(["x"])).rejects.toThrow(/did not answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(900);
    await expect(openAiEmbedder({ baseUrl: "http://127.0.0.1:9/v1", model: "m", maxRetries: 1, ...noSleep }).embed(["x"])).rejects.toThrow(/\(127\.0\.0\.1:9\) cannot be reached/);
  });

  it("reads Retry-After in seconds or as an HTTP date", () => {
    expect(retryAfterMs("1.5")).toBe(1_500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs("soon")).toBeUndefined();
  });
});
