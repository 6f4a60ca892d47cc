import { describe, expect, it } from "vitest";
import { normalizeSymbol } from "./symbol";

describe("normalizeSymbol", () => {
  it("upper-cases tickers, indices, derivatives and the commodity series", () => {
    expect(normalizeSymbol(" hpg ")).toBe("HPG");
    expect(normalizeSymbol("vnindex")).toBe("VNINDEX");
    expect(normalizeSymbol("VN30F2412")).toBe("VN30F2412");
    expect(normalizeSymbol("iron_ore")).toBe("IRON_ORE");
  });
  it("refuses what cannot be a symbol", () => {
    expect(normalizeSymbol("VN-INDEX")).toBeNull();
    expect(normalizeSymbol("_HPG")).toBeNull();
    expect(normalizeSymbol("")).toBeNull();
    expect(normalizeSymbol("A".repeat(17))).toBeNull();
  });
});
