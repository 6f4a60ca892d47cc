/**
 * DNSE's user service: `GET {base}/dnse-user-service/api/me` with `Authorization: Bearer <JWT>`
 * answers the account behind a token (investorId, name, custodyCode, mobile, email, …; DNSE's
 * LightSpeed API documentation, "Thông tin tài khoản"). Used by "Test connection".
 *
 * The token never appears in a result or an error: DNSE's own messages are passed on with any
 * occurrence of it (in any case, URL- or base64-encoded: lib/redact.ts) blanked out.
 */
import { z } from "zod";
import { redactSecret } from "@/lib/redact";

export const DNSE_ME_PATH = "/dnse-user-service/api/me";
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

export async function fetchDnseInvestor(
  baseUrl: string,
  token: string,
  opts: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<DnseMeResult> {
  const doFetch = opts.fetch ?? fetch;
  let response: Response;
  let body: string;
  try {
    response = await doFetch(`${baseUrl}${DNSE_ME_PATH}`, {
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
    return { ok: false, kind: "unreachable", message: "QuantFlow could not reach DNSE (network error). Check the server's connection and DNSE_BASE_URL." };
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
    return { ok: false, kind: "malformed", message: "DNSE's answer was not the JSON QuantFlow expects (is DNSE_BASE_URL right?)." };
  }
  const parsed = meSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, kind: "malformed", message: "DNSE's answer did not name an investor (no investorId)." };
  }
  const { investorId, name, custodyCode } = parsed.data;
  return { ok: true, investor: { investorId: redactSecret(investorId, token), name: name && redactSecret(name, token), custodyCode } };
}
