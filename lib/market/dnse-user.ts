/**
 * DNSE's user service (DNSE_USER_SERVICE_URL, default https://api.dnse.com.vn/user-service):
 * `GET {url}/api/me` with `Authorization: Bearer <JWT>` answers the account behind a token
 * (investorId, name, custodyCode, mobile, email, …), and `POST {url}/api/auth` with
 * `{"username","password"}` answers `{"token"}`, a JWT valid about 8 hours. Source: DNSE's "LightSpeed
 * API_KRX" documentation, Market Data § 2.1 "Môi trường" (a. Đăng nhập, b. Thông tin tài khoản), as
 * copied in manhngodh/dnse-trading-bot, "DNSE documents/dnse_docmuments.md" @ 6137f56. Used by
 * "Test connection" and the live feed.
 *
 * The token never appears in a result or an error: DNSE's own messages are passed on with any
 * occurrence of it (in any case, URL- or base64-encoded: lib/redact.ts) blanked out.
 */
import { z } from "zod";
import { redactSecret } from "@/lib/redact";

export const DNSE_ME_PATH = "/api/me";
export const DNSE_AUTH_PATH = "/api/auth";
export const DNSE_TIMEOUT_MS = 8_000;

const meSchema = z.looseObject({
  investorId: z.union([z.string(), z.number()]).transform(String),
  name: z.string().optional(),
  custodyCode: z.string().optional(),
});

export interface DnseInvestor {
  investorId: string;
  name?: string;
  custodyCode?: string;
}

export type DnseMeResult =
  | { ok: true; investor: DnseInvestor }
  | { ok: false; kind: "unauthorized" | "rejected" | "unavailable" | "timeout" | "unreachable" | "malformed"; message: string };


/** DNSE's error body carries a message (or an error field); keep it short and token-free. */
function dnseMessage(body: string, token: string): string | undefined {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const text = [json.message, json.error_description, json.error].find((v) => typeof v === "string");
    return typeof text === "string" && text.trim() ? redactSecret(text.trim(), token).slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

/** `userServiceUrl`: DNSE_USER_SERVICE_URL. */
export async function fetchDnseInvestor(
  userServiceUrl: string,
  token: string,
  opts: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<DnseMeResult> {
  const doFetch = opts.fetch ?? fetch;
  let response: Response;
  let body: string;
  try {
    response = await doFetch(`${userServiceUrl}${DNSE_ME_PATH}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      signal: AbortSignal.timeout(opts.timeoutMs ?? DNSE_TIMEOUT_MS),
      cache: "no-store",
    });
    body = await response.text();
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") {
      return { ok: false, kind: "timeout", message: `DNSE did not answer within ${Math.round((opts.timeoutMs ?? DNSE_TIMEOUT_MS) / 1000)} seconds. Try again in a moment.` };
    }
    return { ok: false, kind: "unreachable", message: "QuantFlow could not reach DNSE (network error). Check the server's connection and DNSE_USER_SERVICE_URL." };
  }

  if (response.status === 401 || response.status === 403) {
    const said = dnseMessage(body, token);
    return {
      ok: false,
      kind: "unauthorized",
      message: `DNSE refused the token (HTTP ${response.status}${said ? `: ${said}` : ""}). It may have expired (DNSE tokens last about 8 hours): paste a new one.`,
    };
  }
  if (response.status >= 500) {
    return { ok: false, kind: "unavailable", message: `DNSE is having trouble (HTTP ${response.status}). Try again later.` };
  }
  if (!response.ok) {
    const said = dnseMessage(body, token);
    return { ok: false, kind: "rejected", message: `DNSE answered HTTP ${response.status}${said ? `: ${said}` : ""}.` };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, kind: "malformed", message: "DNSE's answer was not the JSON QuantFlow expects (is DNSE_USER_SERVICE_URL right?)." };
  }
  const parsed = meSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, kind: "malformed", message: "DNSE's answer did not name an investor (no investorId)." };
  }
  const { investorId, name, custodyCode } = parsed.data;
  return { ok: true, investor: { investorId: redactSecret(investorId, token), name: name && redactSecret(name, token), custodyCode } };
}

const authAnswer = z.looseObject({ token: z.string().min(1) });

export class DnseLoginError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "DnseLoginError";
  }
}

/**
 * Signs in to DNSE's user service (`POST {url}/api/auth`) and answers the token. Throws DnseLoginError
 * in words; neither the password nor a token ever appears in it.
 */
export async function dnseLogin(
  userServiceUrl: string,
  username: string,
  password: string,
  opts: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<string> {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let response: Response;
  let body: string;
  try {
    response = await doFetch(`${userServiceUrl}${DNSE_AUTH_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(timeoutMs),
      cache: "no-store",
    });
    body = await response.text();
  } catch (error) {
    const name = (error as Error).name;
    throw new DnseLoginError(
      name === "TimeoutError" || name === "AbortError"
        ? `DNSE's sign-in did not answer within ${Math.round(timeoutMs / 1000)} seconds.`
        : `QuantFlow could not reach DNSE's user service at ${userServiceUrl} (network error). Check DNSE_USER_SERVICE_URL.`,
    );
  }
  const said = (text: string) => {
    const m = dnseMessage(text, password);
    return m ? `: ${m}` : "";
  };
  if (response.status === 401 || response.status === 403) {
    throw new DnseLoginError(`DNSE refused the sign-in of ${username} (HTTP ${response.status}${said(body)}): check DNSE_USERNAME and DNSE_PASSWORD.`, response.status);
  }
  if (!response.ok) throw new DnseLoginError(`DNSE's sign-in answered HTTP ${response.status}${said(body)}.`, response.status);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new DnseLoginError("DNSE's sign-in answer is not JSON (is DNSE_USER_SERVICE_URL right?).");
  }
  const parsed = authAnswer.safeParse(json);
  if (!parsed.success) throw new DnseLoginError("DNSE's sign-in answer has no token.");
  return parsed.data.token;
}
