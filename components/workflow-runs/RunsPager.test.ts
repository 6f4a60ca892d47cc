import { describe, expect, it } from "vitest";
import { runsListHref } from "./RunsPager";

describe("the runs lists' pager links", () => {
  it("keep the status filter beside the cursor, and give the bare path for the newest unfiltered page", () => {
    expect(runsListHref("/workflows/executions", "failed", { before: "2026-12-02T04:00:00.123456Z_6f1c3f9e-2f55-4b0e-9a38-0c0d1b7c9a11" })).toBe(
      "/workflows/executions?status=failed&before=2026-12-02T04%3A00%3A00.123456Z_6f1c3f9e-2f55-4b0e-9a38-0c0d1b7c9a11",
    );
    expect(runsListHref("/workflows/w/runs", undefined, { after: "c" })).toBe("/workflows/w/runs?after=c");
    expect(runsListHref("/workflows/w/runs", "success")).toBe("/workflows/w/runs?status=success");
    expect(runsListHref("/workflows/w/runs", undefined)).toBe("/workflows/w/runs");
  });
});
