/**
 * Vietnamese text folded for matching: diacritics stripped (NFD, then the combining marks removed),
 * đ/Đ to d, lower case. "Hòa Phát" and "Hoa Phat" fold alike, as do "thép" and "THEP".
 */
export function foldVietnamese(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
}

/** The words of a folded text: runs of letters and digits. */
export function wordsOf(folded: string): string[] {
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== "");
}
