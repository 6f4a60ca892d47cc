/**
 * A local stand-in for DNSE's user service (the live one cannot be reached from here), at the paths and
 * with the JSON of DNSE's KRX-era documentation — "LightSpeed API_KRX", Market Data § 2.1 "Môi trường",
 * copied in manhngodh/dnse-trading-bot, "DNSE documents/dnse_docmuments.md" @ 6137f5609113256afa7e8b0dd4195404d152e08d:
 *
 * - `POST /user-service/api/auth` with `{"username","password"}` → `{"token": "<JWT>"}` ("a. Đăng nhập":
 *   request body username, password; response body token, "JWT token (có hiệu lực trong 8 tiếng)").
 * - `GET /user-service/api/me` with `Authorization: Bearer <JWT>` → investorId, name, custodyCode,
 *   mobile, email, <others> ("b. Thông tin tài khoản").
 *
 * The app reaches it as DNSE_USER_SERVICE_URL = `<url>/user-service` (`userServiceUrl` below). DNSE's
 * error body is not documented; the stand-in answers `{ status, code, message }` and the client relies
 * only on `message` being optional (the conditional-order pages of the same document show `{"message"}`).
 *
 * /me: the token chooses the behaviour, so a test (or an e2e run) can provoke each answer; QuantFlow
 * stores only JWTs, so tests pass test/stand-in-token.ts's standInToken("ok-…"), whose `sub` is read here:
 *   standin-ok-<anything>   200 with the investor below (the name carries <anything>, so two users differ)
 *   standin-expired-…       401 with DNSE's error JSON
 *   standin-echo-…          401 whose message repeats the token (the app must blank it out)
 *   standin-down-…          500
 *   standin-slow-…          never answers (timeouts)
 *   standin-garbage-…       200 with HTML instead of JSON
 *   standin-noid-…          200 JSON without investorId
 *   anything else           401
 * /auth: the password chooses: `standin-ok-<x>` → 200 with standInToken("ok-<x>") (a JWT with `iat`,
 * no `exp`: nothing says DNSE's carries one); `standin-down` → 500; `standin-garbage` → 200 HTML;
 * `standin-notoken` → 200 `{}`; a body that is not `{username, password}` → 400; anything else → 401
 * `{"status":401,"code":"UNAUTHORIZED","message":"Invalid username or password"}`.
 *
 * Given `chart` (test/dnse-chart-stand-in.ts), the same server also answers DNSE's chart history
 * path (/chart-api/v2/ohlcs/…).
 *
 * Run alone for Playwright: `tsx test/dnse-stand-in.ts --port 3199` (GET /health answers 200): the
 * user service and the chart history, with made-up bars for any symbol (`synthetic`), so the chart's
 * "Load history from DNSE" can run end to end.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createDnseChartState, handleChartRequest, type DnseChartState } from "./dnse-chart-stand-in";
import { standInSubject, standInToken } from "./stand-in-token";

export interface DnseStandIn {
  url: string;
  /** DNSE_USER_SERVICE_URL for the app: the documented `/user-service` prefix on this server. */
  userServiceUrl: string;
  requests: { path: string; authorization?: string }[];
  close(): Promise<void>;
}

export function standInInvestor(suffix: string) {
  return {
    investorId: "0001000115",
    name: `Nguyễn Văn An ${suffix}`.trim(),
    custodyCode: "064C000115",
    mobile: "0900000115",
    email: "an.nguyen@example.vn",
    investorType: "INDIVIDUAL",
    status: "ACTIVE",
  };
}

type Send = (status: number, body: unknown, type?: string) => void;

/** POST /user-service/api/auth (see the header for what each password plays). */
function signIn(req: http.IncomingMessage, send: Send): void {
  let raw = "";
  req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
  req.on("end", () => {
    let body: { username?: unknown; password?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return send(400, { status: 400, code: "BAD_REQUEST", message: "Malformed JSON request" });
    }
    if (typeof body?.username !== "string" || typeof body.password !== "string") {
      return send(400, { status: 400, code: "BAD_REQUEST", message: "username and password are required" });
    }
    const password = body.password;
    if (password.startsWith("standin-ok-")) {
      return send(200, { token: standInToken(password.slice("standin-".length), undefined, { iat: Math.floor(Date.now() / 1000) }) });
    }
    if (password === "standin-down") return send(500, { status: 500, code: "INTERNAL_SERVER_ERROR", message: "Internal error" });
    if (password === "standin-garbage") return send(200, "<html><body>Maintenance</body></html>", "text/html");
    if (password === "standin-notoken") return send(200, {});
    return send(401, { status: 401, code: "UNAUTHORIZED", message: "Invalid username or password" });
  });
}

export async function startDnseStandIn(port = 0, options: { chart?: DnseChartState } = {}): Promise<DnseStandIn> {
  const requests: DnseStandIn["requests"] = [];
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    if (req.url === "/health") return send(200, { ok: true });
    if (options.chart && handleChartRequest(options.chart, req, res)) return;
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization });
    if (req.method === "POST" && req.url === "/user-service/api/auth") return signIn(req, send);
    if (req.method !== "GET" || req.url !== "/user-service/api/me") {
      return send(404, { status: 404, code: "NOT_FOUND", message: "Not Found" });
    }
    const raw = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const token = standInSubject(raw);
    const unauthorized = (message: string) => send(401, { status: 401, code: "UNAUTHORIZED", message });
    if (token.startsWith("standin-ok-")) return send(200, standInInvestor(token.slice("standin-ok-".length, "standin-ok-".length + 12)));
    if (token.startsWith("standin-expired-")) return unauthorized("Token is expired");
    if (token.startsWith("standin-echo-")) return unauthorized(`Invalid token ${raw}`);
    if (token.startsWith("standin-down-")) return send(500, { status: 500, code: "INTERNAL_SERVER_ERROR", message: "Internal error" });
    if (token.startsWith("standin-slow-")) return; // never answers
    if (token.startsWith("standin-garbage-")) return send(200, "<html><body>Maintenance</body></html>", "text/html");
    if (token.startsWith("standin-noid-")) return send(200, { name: "Nobody" });
    return unauthorized("Unauthorized");
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    userServiceUrl: `http://127.0.0.1:${bound}/user-service`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const port = Number(arg("--port") ?? 3199);
  // --minute-days: how many days of 1-minute history it serves (DNSE: about 90).
  const minuteDays = Number(arg("--minute-days") ?? 90);
  void startDnseStandIn(port, { chart: createDnseChartState({ synthetic: true, minuteDays }) }).then((s) =>
    console.log(`[dnse stand-in] user service and chart history on ${s.url}`),
  );
}
