/**
 * A local stand-in for an OpenAI-compatible chat endpoint: `POST /v1/chat/completions` with
 * `{model, messages}` answers `{id, object: "chat.completion", model, choices: [{index, message: {role:
 * "assistant", content}, finish_reason}]}` (the documented shape). It records requests; `reply` makes
 * the content from the messages, and `script` queues an HTTP status for the next request.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatStandIn {
  url: string;
  requests: { authorization?: string; body: { model: string; messages: ChatMessage[] } }[];
  reply: (messages: ChatMessage[]) => string;
  script: { status: number }[];
  close(): Promise<void>;
}

export async function startChatStandIn(): Promise<ChatStandIn> {
  const state: ChatStandIn = {
    url: "",
    requests: [],
    reply: () => "HPG: inventory risk persists while steel prices fall.",
    script: [],
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") return send(404, { error: { message: "Not found" } });
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { model: string; messages: ChatMessage[] };
      state.requests.push({ authorization: req.headers.authorization, body });
      const next = state.script.shift();
      if (next) return send(next.status, { error: { message: `stand-in answers ${next.status}` } });
      send(200, {
        id: "chatcmpl-standin",
        object: "chat.completion",
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: state.reply(body.messages) }, finish_reason: "stop" }],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
