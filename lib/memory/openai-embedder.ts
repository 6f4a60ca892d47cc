/**
 * An OpenAI-compatible embeddings client (POST {base}/embeddings, {model, input: [...]}) → {data:
 * [{index, embedding}]}): texts sent in batches, each request under a timeout, retried with
 * exponential backoff on 429 and 5xx answers and on network errors, honouring Retry-After. Errors
 * never carry the API key.
 */
import type { Embedder } from "./embedder";
import { MEMORY_DIMENSIONS, MemoryBackendError } from "./types";

export interface OpenAiEmbedderOptions {
  baseUrl?: string;
  apiKey?: string;
  model: string;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Per request, in ms (default 15 000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** First backoff in ms (default 500), doubled per retry. */
  backoffMs?: number;
  /** A Retry-After longer than this (ms, default 20 000) fails at once rather than hold the request. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";

const answerSchema = (data: unknown): { index: number; embedding: number[] }[] | null => {
  if (!data || typeof data !== "object" || !Array.isArray((data as { data?: unknown }).data)) return null;
  const items = (data as { data: unknown[] }).data;
  const out: { index: number; embedding: number[] }[] = [];
  for (const item of items) {
    const { index, embedding } = (item ?? {}) as { index?: unknown; embedding?: unknown };
    if (typeof index !== "number" || !Array.isArray(embedding) || !embedding.every((v) => typeof v === "number")) return null;
    out.push({ index, embedding: embedding as number[] });
  }
  return out;
};

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function openAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const base = (options.baseUrl ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, "");
  const host = (() => {
    try {
      return new URL(base).host;
    } catch {
      return "the embeddings endpoint";
    }
  })();
  const batchSize = options.batchSize ?? 64;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxRetries = options.maxRetries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 20_000;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const fail = (why: string, cause?: unknown) => new MemoryBackendError(`The embeddings endpoint (${host}) ${why}; nothing was stored.`, { cause });

  async function once(input: string[]): Promise<{ retryable: boolean; waitMs?: number; error: MemoryBackendError } | Float32Array[]> {
    let res: Response;
    try {
      res = await doFetch(`${base}/embeddings`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
        body: JSON.stringify({ model: options.model, input }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      const why = e.name === "TimeoutError" || e.name === "AbortError" ? `did not answer within ${timeoutMs} ms` : "cannot be reached";
      return { retryable: true, error: fail(why, err) };
    }
    if (res.status === 429 || res.status >= 500) {
      await res.body?.cancel();
      return { retryable: true, waitMs: retryAfterMs(res.headers.get("retry-after")), error: fail(`answered HTTP ${res.status}${res.status === 429 ? " (rate limited)" : ""}`) };
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      return { retryable: false, error: fail(`answered HTTP ${res.status} with a body that is not JSON`, err) };
    }
    if (!res.ok) {
      const message = (body as { error?: { message?: unknown } })?.error?.message;
      const detail = typeof message === "string" ? `: ${message.replaceAll(options.apiKey || "\u0000", "*****").slice(0, 200)}` : "";
      return { retryable: false, error: fail(`refused the request (HTTP ${res.status}${detail})`) };
    }
    const items = answerSchema(body);
    if (!items || items.length !== input.length) return { retryable: false, error: fail("answered with something other than one embedding per text") };
    const vectors = new Array<Float32Array>(input.length);
    for (const { index, embedding } of items) {
      if (embedding.length !== MEMORY_DIMENSIONS) {
        return { retryable: false, error: fail(`gave ${embedding.length}-dimensional vectors with model ${options.model}; memories need ${MEMORY_DIMENSIONS} (set QUANTFLOW_EMBEDDING_MODEL to a ${MEMORY_DIMENSIONS}-dimensional model)`) };
      }
      if (index < 0 || index >= input.length || vectors[index]) return { retryable: false, error: fail("answered with embeddings out of order") };
      vectors[index] = Float32Array.from(embedding);
    }
    return vectors;
  }

  async function batch(input: string[]): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      const result = await once(input);
      if (Array.isArray(result)) return result;
      if (!result.retryable || attempt >= maxRetries) throw result.error;
      const wait = result.waitMs ?? backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
      if (wait > maxRetryAfterMs) throw fail(`asked to wait ${Math.ceil(wait / 1000)} s before retrying`);
      await sleep(wait);
    }
  }

  return {
    model: options.model,
    kind: "remote",
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await batch(texts.slice(i, i + batchSize))));
      return out;
    },
  };
}
