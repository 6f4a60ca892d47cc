/**
 * Numbers on the portfolio page, and the order list as CSV. Pure: no React.
 * VND in full with separators and the ₫ sign (25,950 ₫); percentages with two decimals.
 */
const grouped0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A whole-VND decimal string or number as "25,950 ₫" (strings are grouped digit by digit: no float on the way). */
export function formatVndAmount(value: string | number): string {
  return `${groupDigits(value)} ₫`;
}

/** "1000000000" → "1,000,000,000", exactly, for any length; numbers are rounded to the đồng. */
export function groupDigits(value: string | number): string {
  if (typeof value === "number") return grouped0.format(Math.round(value));
  const m = /^(-?)(\d+)$/.exec(value.trim());
  if (!m) return value;
  return `${m[1]}${(m[2] as string).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;
}

/** A fraction as a percentage: 0.1234 → "12.34 %". */
export function formatPct(fraction: number, decimals = 2): string {
  if (!Number.isFinite(fraction)) return "—";
  return `${(fraction * 100).toFixed(decimals)} %`;
}

export function formatRatio(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : "—";
}

/** What the user types as capital: "1,000,000,000", "1 000 000 000 ₫" or "1000000000" → "1000000000"; null when it is not whole VND. */
export function parseVndInput(text: string): string | null {
  const cleaned = text.replace(/[\s,._₫]|VND|đ/gi, "");
  return /^-?\d+$/.test(cleaned) ? cleaned.replace(/^(-?)0+(?=\d)/, "$1") : null;
}

export interface CsvOrderLine {
  symbol: string;
  exchange: string | null;
  price: string;
  lots: number;
  shares: number;
  value: string;
  fee: string;
  targetWeight: number;
  realisedWeight: number;
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The order list as CSV for Excel: UTF-8 with a byte-order mark (so Excel reads Vietnamese text as
 * UTF-8), CRLF line ends, VND as whole numbers without separators or decimals, weights in percent.
 */
export function ordersCsv(lines: readonly CsvOrderLine[], totals: { capital: string; invested: string; fees: string; leftover: string; priceDate: string }): string {
  const rows: (string | number)[][] = [
    ["Symbol", "Exchange", "Price (VND)", "Lots", "Shares", "Value (VND)", "Fee (VND)", "Target weight (%)", "Realised weight (%)"],
    ...lines
      .filter((l) => l.lots > 0 || l.targetWeight > 0)
      .map((l) => [l.symbol, l.exchange ?? "", l.price, l.lots, l.shares, l.value, l.fee, (l.targetWeight * 100).toFixed(2), (l.realisedWeight * 100).toFixed(2)]),
    [],
    ["Capital (VND)", totals.capital],
    ["Invested (VND)", totals.invested],
    ["Fees (VND)", totals.fees],
    ["Leftover (VND)", totals.leftover],
    ["Prices of", totals.priceDate],
  ];
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
