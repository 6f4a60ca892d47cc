/**
 * What a notification says, read at a glance: the workflow, the title, the symbols with their last price
 * and change in VND, the time in Vietnam and a link back into QuantFlow; rendered as plain text and
 * simple HTML (e-mail), Telegram MarkdownV2, and the JSON body of a webhook.
 */
import Decimal from "decimal.js";
import { lastCloseBefore } from "@/lib/market/candles";
import type { Queryable } from "@/lib/market/queryable";
import { toVnIso } from "@/lib/time";
import { quoteText, vnTimeText, type SymbolQuote } from "./format";

export { quoteText, vnTimeText, type SymbolQuote };

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface NotificationMessage {
  workflow: { id: string; name: string };
  runId: string;
  title: string;
  severity: Severity;
  body: string;
  symbols: SymbolQuote[];
  /** When the run ended, ISO 8601 in Vietnam time (+07:00). */
  at: string;
  /** The run's page. */
  link: string;
}

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;

/** Last close and the change against the previous session's close, per symbol (exact: decimal.js). */
export async function quotesOf(q: Queryable, symbols: readonly string[], now: Date): Promise<SymbolQuote[]> {
  return Promise.all(
    symbols.map(async (symbol): Promise<SymbolQuote> => {
      const last = await lastCloseBefore(q, symbol, new Date(now.getTime() + 60_000));
      if (!last) return { symbol, close: null, change: null, changePct: null };
      const vnDayStart = new Date(Math.floor((last.time.getTime() + VN_OFFSET_MS) / DAY_MS) * DAY_MS - VN_OFFSET_MS);
      const previous = await lastCloseBefore(q, symbol, vnDayStart);
      const close = new Decimal(last.close);
      if (!previous || !(previous.close > 0)) return { symbol, close: close.toString(), change: null, changePct: null };
      const change = close.minus(previous.close);
      return { symbol, close: close.toString(), change: change.toString(), changePct: change.div(previous.close).times(100).toDecimalPlaces(2).toString() };
    }),
  );
}

export function subjectOf(m: NotificationMessage): string {
  return `[QuantFlow] ${m.title} — ${m.workflow.name}`;
}

export function emailText(m: NotificationMessage): string {
  return [
    `${m.title} (${m.severity})`,
    `Workflow: ${m.workflow.name}`,
    `Time: ${vnTimeText(m.at)}`,
    ...(m.body ? ["", m.body] : []),
    "",
    ...m.symbols.map((s) => `• ${quoteText(s)}`),
    "",
    `Open the run: ${m.link}`,
  ].join("\n");
}

const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

export function emailHtml(m: NotificationMessage): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif">
<h2 style="margin:0 0 4px">${html(m.title)}</h2>
<p style="margin:0 0 12px;color:#555">${html(m.workflow.name)} · ${html(vnTimeText(m.at))} · ${html(m.severity)}</p>
${m.body ? `<p>${html(m.body).replace(/\n/g, "<br>")}</p>` : ""}
<ul>${m.symbols.map((s) => `<li>${html(quoteText(s))}</li>`).join("")}</ul>
<p><a href="${html(m.link)}">Open the run in QuantFlow</a></p>
</body></html>`;
}

/**
 * Telegram MarkdownV2 escaping (core.telegram.org/bots/api#markdownv2-style): outside entities every one
 * of _ * [ ] ( ) ~ ` > # + - = | { } . ! and the backslash itself is preceded by a backslash; inside a
 * link's (…) only ) and the backslash are.
 */
export function escapeMarkdownV2(text: string): string {
  return text.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, (c) => `\\${c}`);
}
const escapeLinkUrl = (url: string) => url.replace(/[)\\]/g, (c) => `\\${c}`);

export function telegramText(m: NotificationMessage): string {
  return [
    `*${escapeMarkdownV2(m.title)}*`,
    `${escapeMarkdownV2(m.workflow.name)} · ${escapeMarkdownV2(vnTimeText(m.at))}`,
    ...(m.body ? ["", escapeMarkdownV2(m.body)] : []),
    "",
    ...m.symbols.map((s) => escapeMarkdownV2(`• ${quoteText(s)}`)),
    "",
    `[Open the run](${escapeLinkUrl(m.link)})`,
  ].join("\n");
}

/** The webhook's JSON body (documented in the README). */
export function webhookPayload(m: NotificationMessage, test = false): Record<string, unknown> {
  return {
    type: test ? "test" : "alert",
    workflow: m.workflow,
    runId: m.runId,
    title: m.title,
    severity: m.severity,
    message: m.body,
    symbols: m.symbols,
    at: m.at,
    link: m.link,
  };
}

/** The message "Send a test" delivers. */
export function testMessage(publicUrl: string, now = new Date()): NotificationMessage {
  return {
    workflow: { id: "00000000-0000-0000-0000-000000000000", name: "Test from Settings" },
    runId: "00000000-0000-0000-0000-000000000000",
    title: "Test notification",
    severity: "info",
    body: "This channel works: QuantFlow will deliver alerts here.",
    symbols: [{ symbol: "HPG", close: "25950", change: "350", changePct: "1.37" }],
    at: toVnIso(now),
    link: `${publicUrl}/notifications`,
  };
}
