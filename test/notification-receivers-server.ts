/**
 * The notification receivers as a process, for e2e (playwright.config.ts starts it): a real SMTP server
 * (smtp-server) and an HTTP server with
 *   POST /hook     a webhook receiver that verifies QuantFlow's signature (the secret given to /control/secret)
 *   POST /failing  a receiver that always refuses (400), so a channel pointed at it fails at once
 *   POST /control/secret { secret }   GET /control/state → { mails: [{ to, raw }], hits: [{ verified, why?, body }] }
 *   GET /health
 * Usage: tsx test/notification-receivers-server.ts --smtp-port 3213 --http-port 3214
 */
import http from "node:http";
import { startSmtpReceiverOn, verifyQuantFlowSignature, type WebhookHit } from "./notification-receivers";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};

const smtp = await startSmtpReceiverOn(arg("smtp-port", 3213));
let secret = "";
const hits: WebhookHit[] = [];
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (req.url === "/health") return send(200, { ok: true });
    if (req.url === "/control/secret" && req.method === "POST") {
      secret = (JSON.parse(body) as { secret: string }).secret;
      return send(200, { ok: true });
    }
    if (req.url === "/control/state") return send(200, { mails: smtp.mails, hits });
    if (req.url === "/hook" && req.method === "POST") {
      const v = verifyQuantFlowSignature(secret, req.headers, body);
      hits.push({ verified: v.ok, ...(v.why ? { why: v.why } : {}), body: JSON.parse(body) as unknown });
      return v.ok ? send(200, { received: true }) : send(401, { error: v.why });
    }
    if (req.url === "/failing") return send(400, { error: "this receiver refuses every message" });
    send(404, { error: "not found" });
  });
});
server.listen(arg("http-port", 3214), "127.0.0.1");
