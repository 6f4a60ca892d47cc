/**
 * A local stand-in for an OpenAI-compatible embeddings endpoint: `POST /v1/embeddings` with
 * `{model, input: string[]}` answers `{object: "list", data: [{object: "embedding", index, embedding}],
 * model, usage}` (OpenAI's documented shape), each embedding the lexical vector of its text (so that
 * searches behave). It records requests and can be told what to answer next: an HTTP status (with an
 * optional Retry-After), a stall, or vectors of another size.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { lexicalVector } from "@/lib/memory/lexical-embedder";

export interface EmbeddingsStandIn {
  url: string;
  requests: { authorization?: string; body: { model: string; input: string[] } }[];
  /** Queued answers, used one per request before normal service resumes. */
  script: ({ status: number; retryAfter?: string } | { stallMs: number } | { dimensions: number })[];
  close(): Promise<void>;
}

export async function startEmbeddingsStandIn(): Promise<EmbeddingsStandIn> {
  const requests: EmbeddingsStandIn["requests"] = [];
  const script: EmbeddingsStandIn["script"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "POST" || req.url !== "/v1/embeddings") return send(404, { error: { message: "Not found", type: "invalid_request_error" } });
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { model: string; input: string[] };
      requests.push({ authorization: req.headers.authorization, body });
      const next = script.shift();
      if (next && "status" in next) return send(next.status, { error: { message: `stand-in answers ${next.status}`, type: "server_error" } }, next.retryAfter ? { "retry-after": next.retryAfter } : {});
      if (next && "stallMs" in next) return void setTimeout(() => send(500, {}), next.stallMs);
      const dims = next && "dimensions" in next ? next.dimensions : 1536;
      send(200, {
        object: "list",
        model: body.model,
        data: body.input.map((text, index) => ({ object: "embedding", index, embedding: Array.from(lexicalVector(text).slice(0, dims)) })).reverse(),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
