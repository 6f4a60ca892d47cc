import { describe, expect, it } from "vitest";
import { formatPct, formatVndAmount, groupDigits, ordersCsv, parseVndInput } from "./format";

describe("portfolio formats", () => {
  it("writes VND in full with separators and ₫, exactly for long decimal strings", () => {
    expect(formatVndAmount("25950")).toBe("25,950 ₫");
    expect(formatVndAmount("1000000000")).toBe("1,000,000,000 ₫");
    expect(groupDigits("123456789012345678901")).toBe("123,456,789,012,345,678,901");
    expect(formatVndAmount(999.6)).toBe("1,000 ₫");
    expect(formatPct(0.12345)).toBe("12.35 %");
  });

  it("reads capital typed with separators, spaces or ₫; anything else is null", () => {
    expect(parseVndInput("1,000,000,000")).toBe("1000000000");
    expect(parseVndInput(" 1 000 000 000 ₫")).toBe("1000000000");
    expect(parseVndInput("-5000000")).toBe("-5000000");
    expect(parseVndInput("1e9")).toBeNull();
    expect(parseVndInput("a billion")).toBeNull();
  });

  it("writes the order list as UTF-8 CSV with a BOM, CRLF, VND without decimals or separators", () => {
    const csv = ordersCsv(
      [
        { symbol: "HPG", exchange: "HOSE", price: "25950", lots: 10, shares: 1000, value: "25950000", fee: "38925", targetWeight: 0.5, realisedWeight: 0.49 },
        { symbol: "VCB", exchange: "HOSE", price: "", lots: 0, shares: 0, value: "0", fee: "0", targetWeight: 0, realisedWeight: 0 },
      ],
      { capital: "50000000", invested: "25950000", fees: "38925", leftover: "24011075", priceDate: "2026-12-02" },
    );
    expect(csv.startsWith("\uFEFFSymbol,Exchange,Price (VND)")).toBe(true);
    const lines = csv.slice(1).split("\r\n");
    expect(lines[1]).toBe("HPG,HOSE,25950,10,1000,25950000,38925,50.00,49.00");
    expect(csv).not.toContain("VCB");
    expect(lines).toContain("Leftover (VND),24011075");
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });
});
