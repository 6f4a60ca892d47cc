import { describe, expect, it } from "vitest";
import { unitOf } from "./symbols";

describe("unitOf", () => {
  it("quotes stocks in VND, indices in points, crude oil per barrel and other commodities per tonne", () => {
    expect(unitOf("stock", "HPG")).toBe("VND");
    expect(unitOf("index", "VNINDEX")).toBe("points");
    expect(unitOf("commodity", "IRON_ORE")).toBe("USD/t");
    expect(unitOf("commodity", "COKING_COAL")).toBe("USD/t");
    expect(unitOf("commodity", "CRUDE_OIL")).toBe("USD/bbl");
  });
});
