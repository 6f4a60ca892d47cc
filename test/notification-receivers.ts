/**
 * Real receivers for notification tests, all on 127.0.0.1:
 * - an SMTP server (the `smtp-server` package) that keeps every message it accepts;
 * - a webhook receiver that verifies QuantFlow's signature the way the README tells a receiver to
 *   (HMAC-SHA256 of `${timestamp}.${body}`, constant-time compare, timestamp within 5 minutes);
 * - a stand-in of Telegram's Bot API sendMessage, speaking its JSON (core.telegram.org/bots/api#making-requests:
 *   `{ "ok": true, "result": Message }`, or `{ "ok": false, "error_code", "description", "parameters": { "retry_after" } }`
 *   with HTTP 429 when flooding).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export function startSmtpReceiver() {
  return startSmtpReceiverOn(0);
}

export async function startSmtpReceiverOn(listenPort: number): Promise<{ url: string; port: number; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, port, mails, close: () => new Promise((r) => server.close(() => r())) };
}

export interface WebhookHit {
  verified: boolean;
  why?: string;
  body: unknown;
}

/** Verifies a webhook as the README says a receiver should. */
export function verifyQuantFlowSignature(secret: string, headers: http.IncomingHttpHeaders, body: string, now = Date.now()): { ok: boolean; why?: string } {
  const ts = String(headers["x-quantflow-timestamp"] ?? "");
  const sig = String(headers["x-quantflow-signature"] ?? "");
  if (!/^\d+$/.test(ts)) return { ok: false, why: "no timestamp" };
  if (Math.abs(now / 1000 - Number(ts)) > 300) return { ok: false, why: "stale timestamp" };
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`);
  const got = Buffer.from(sig);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return { ok: false, why: "bad signature" };
  return { ok: true };
}

/** A webhook receiver; `respond` decides each answer (default 200). The secret is set once the channel exists. */
export async function startWebhookReceiver() {
  const state = {
    secret: "",
    hits: [] as WebhookHit[],
    respond: (() => ({ status: 200, body: "ok" })) as (n: number) => { status: number; headers?: Record<string, string>; body?: string; delayMs?: number },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const v = verifyQuantFlowSignature(state.secret, req.headers, body);
      let parsed: unknown = body;
      try {
        parsed = JSON.parse(body);
      } catch {
        /* kept as text */
      }
      state.hits.push({ verified: v.ok, ...(v.why ? { why: v.why } : {}), body: parsed });
      const a = state.respond(state.hits.length);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(a.status, { "content-type": "text/plain", ...(a.headers ?? {}) });
        res.end(a.body ?? "");
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    state,
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Telegram's Bot API sendMessage, stand-in: records messages; `respond` may answer 429 with retry_after or an error. */
export async function startTelegramStandIn() {
  const state = {
    messages: [] as { token: string; chat_id: string; text: string; parse_mode?: string }[],
    respond: (() => undefined) as (n: number) => { status: number; body: Record<string, unknown> } | undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? "");
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (!m) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
      const payload = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { chat_id: string; text: string; parse_mode?: string };
      const custom = state.respond(state.messages.length + 1);
      if (custom) {
        state.messages.push({ token: m[1]!, ...payload, text: `(refused) ${payload.text}` });
        return reply(custom.status, custom.body);
      }
      state.messages.push({ token: m[1]!, ...payload });
      reply(200, { ok: true, result: { message_id: state.messages.length, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id) || 0, type: "private" }, text: payload.text } });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { state, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
