import { describe, expect, it } from "vitest";
import { isoDate } from "@/components/ui/datetime";
import { sharedWords } from "./memory-text";

describe("the memory page's text helpers", () => {
  it("names the words a result shares with the query, diacritics and case ignored", () => {
    expect(sharedWords("Hoa Phat thep", "Hòa Phát: tồn kho cao khi giá thép giảm")).toEqual(["hoa", "phat", "thep"]);
    expect(sharedWords("Vietcombank", "Hòa Phát")).toEqual([]);
  });

  it("reads dates as Vietnamese write them (day first) or ISO, and refuses impossible ones", () => {
    expect(isoDate("")).toBe("");
    expect(isoDate("01/11/2026")).toBe("2026-11-01");
    expect(isoDate("1/2/2026")).toBe("2026-02-01");
    expect(isoDate("2026-11-30")).toBe("2026-11-30");
    expect(isoDate("31/02/2026")).toBeNull();
    expect(isoDate("11/31/2026")).toBeNull();
    expect(isoDate("yesterday")).toBeNull();
  });
});
