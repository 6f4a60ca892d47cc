/** The memory page's pure text helpers (unit-tested): the words a match shares. */
import { foldVietnamese, wordsOf } from "@/lib/memory/fold";

/** Words of the query found in the memory (diacritics ignored): what a lexical match rests on. */
export function sharedWords(query: string, content: string): string[] {
  const inContent = new Set(wordsOf(foldVietnamese(content)));
  return [...new Set(wordsOf(foldVietnamese(query)))].filter((w) => inContent.has(w));
}
