import { describe, expect, it } from "vitest";
import { isCurrentArea, NAV_SUB_ITEMS } from "./nav";

describe("the rail's current item", () => {
  it("an area owns everything below it, except the pages of its sub-items, which are current themselves", () => {
    expect(NAV_SUB_ITEMS.map((s) => s.href)).toContain("/workflows/executions");
    expect(isCurrentArea("/workflows", "/workflows")).toBe(true);
    expect(isCurrentArea("/workflows/3f1c/runs", "/workflows")).toBe(true);
    expect(isCurrentArea("/workflows/executions", "/workflows")).toBe(false);
    expect(isCurrentArea("/workflows/executions", "/workflows/executions")).toBe(true);
    expect(isCurrentArea("/workflows", "/workflows/executions")).toBe(false);
    expect(isCurrentArea("/charts/HPG", "/workflows")).toBe(false);
  });
});
