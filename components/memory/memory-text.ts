/** The memory page's pure text helpers (unit-tested): the words a match shares, dates as typed. */
import { foldVietnamese, wordsOf } from "@/lib/memory/fold";

/** Words of the query found in the memory (diacritics ignored): what a lexical match rests on. */
export function sharedWords(query: string, content: string): string[] {
  const inContent = new Set(wordsOf(foldVietnamese(content)));
  return [...new Set(wordsOf(foldVietnamese(query)))].filter((w) => inContent.has(w));
}

/** A date as typed (26/11/2026, or 2026-11-26) as the API's YYYY-MM-DD; "" for none, null when unreadable. */
export function isoDate(text: string): string | null {
  const t = text.trim();
  if (t === "") return "";
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  const [y, m, d] = iso ? [+iso[1]!, +iso[2]!, +iso[3]!] : vn ? [+vn[3]!, +vn[2]!, +vn[1]!] : [0, 0, 0];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (!y || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

