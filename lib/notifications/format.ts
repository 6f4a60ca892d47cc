/** How a symbol's price and a time read in notifications (pure: the browser uses it too). */
import Decimal from "decimal.js";

export interface SymbolQuote {
  symbol: string;
  /** Last close in VND (points for an index), as a decimal string; null when no bar exists. */
  close: string | null;
  /** Against the previous session's close. */
  change: string | null;
  changePct: string | null;
}

/** 25950 → "25,950"; a signed change → "+350" / "−350". */
const grouped = (v: string) => new Decimal(v).toNumber().toLocaleString("en-US", { maximumFractionDigits: 2 });
const signed = (v: string) => (new Decimal(v).isNegative() ? `−${grouped(new Decimal(v).abs().toString())}` : `+${grouped(v)}`);

export function quoteText(s: SymbolQuote): string {
  if (s.close === null) return `${s.symbol}: no price yet`;
  const change = s.change === null ? "" : ` (${signed(s.change)}${s.changePct === null ? "" : `, ${signed(s.changePct)} %`})`;
  return `${s.symbol}: ${grouped(s.close)} VND${change}`;
}

/** "02/12/2026 15:15 GMT+7" from an ISO time in Vietnam. */
export function vnTimeText(vnIso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(vnIso);
  return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]} GMT+7` : vnIso;
}

