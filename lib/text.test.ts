/** lib/text.ts: the check every text boundary shares (NUL → PostgreSQL error → 500 before it). */
import { describe, expect, it } from "vitest";
import { checkJsonValue, findControlChar, MAX_JSON_DEPTH, plainText } from "./text";

describe("plainText", () => {
  const name = plainText("The name").trim().min(1).max(20);

  it("refuses NUL and the other control characters, naming the field", () => {
    for (const bad of ["HP\u0000G", "\u0000", "a\u0007b", "a\u001bb", "a\u007fb", "a\tb", "a\nb"]) {
      const result = name.safeParse(bad);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error!.issues[0]!.message).toBe("The name contains a control character (such as NUL, \\u0000): remove it and try again.");
    }
  });

  it("accepts ordinary text, Vietnamese included, and still applies the chained checks", () => {
    expect(name.parse("  Thép HPG ")).toBe("Thép HPG");
    expect(name.safeParse("   ").success).toBe(false);
    expect(plainText("note", { multiline: true }).parse("line 1\n\tline 2\r\n")).toBe("line 1\n\tline 2\r\n");
    expect(plainText("note", { multiline: true }).safeParse("a\u0000b").success).toBe(false);
  });

  it("reports only one message for a NUL, not the chained checks' too", () => {
    expect(name.safeParse("\u0000".repeat(30)).error!.issues).toHaveLength(1);
  });

  it("findControlChar gives the position", () => {
    expect(findControlChar("abc")).toBe(-1);
    expect(findControlChar("ab\u0000")).toBe(2);
  });
});

describe("checkJsonValue", () => {
  it("refuses a document nested 200,000 levels deep without overflowing the stack", () => {
    const deep = JSON.parse("[".repeat(200_000) + "]".repeat(200_000)) as unknown;
    expect(checkJsonValue(deep)?.message).toMatch(/nested more than 64 levels deep/);
    const objects = JSON.parse('{"a":'.repeat(100_000) + "1" + "}".repeat(100_000)) as unknown;
    expect(checkJsonValue(objects)?.message).toMatch(/nested more than 64 levels deep/);
  });

  it("accepts the limit itself and refuses one more level", () => {
    const nest = (levels: number) => JSON.parse("[".repeat(levels) + "]".repeat(levels)) as unknown;
    expect(checkJsonValue(nest(MAX_JSON_DEPTH))).toBeUndefined();
    expect(checkJsonValue(nest(MAX_JSON_DEPTH + 1))).toBeDefined();
  });

  it("finds a NUL in any string or key, with its path", () => {
    expect(checkJsonValue({ nodes: [{ data: { label: "RSI\u0000" } }] })).toEqual({
      path: "nodes.0.data.label",
      message: "nodes.0.data.label contains a control character (such as NUL, \\u0000): remove it and try again.",
    });
    expect(checkJsonValue({ nodes: [{ "x\u0000": 1 }] })?.path).toBe("nodes.0.x\u0000");
    expect(checkJsonValue({ nodes: [{ data: { label: "RSI\n14" } }] })).toBeUndefined();
  });
});
