/**
 * Text that crosses a boundary (a symbol, a search query, a name, a label, a graph's strings): no NUL
 * and no other control characters. PostgreSQL refuses NUL in text and jsonb, so without this check such
 * input reached the database and came back as a 500; the others have no business in a name either.
 * Tab, line feed and carriage return stay allowed where a field is multi-line.
 */
import { z } from "zod";

/** C0 controls except tab, LF, CR; and DEL. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Single-line fields refuse tab, LF and CR too. */
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F]/;

export function controlCharMessage(field: string): string {
  return `${field} contains a control character (such as NUL, \\u0000): remove it and try again.`;
}

/** The first forbidden character's position, or -1. */
export function findControlChar(text: string, opts: { multiline?: boolean } = {}): number {
  return text.search(opts.multiline ? CONTROL : CONTROL_SINGLE_LINE);
}

/**
 * z.string() that refuses control characters, with a message naming the field. The refinement is
 * the first check, so `.trim().min().max()` chained after it still run on plain text only.
 */
export function plainText(field: string, opts: { multiline?: boolean; error?: string } = {}) {
  return z
    .string(opts.error ? { error: opts.error } : undefined)
    .refine((s) => findControlChar(s, opts) < 0, { message: controlCharMessage(field), abort: true });
}

export interface JsonTextProblem {
  /** Dotted path to the offending value or key ("" for the root). */
  path: string;
  message: string;
}

/** How deep a JSON document may nest; a workflow graph needs about six levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Walks a parsed JSON value without recursion (a document nested 200,000 levels deep would overflow the
 * stack of a recursive walk, of zod, and of JSON.stringify) and reports the first nesting deeper than
 * `maxDepth` or the first string or key holding a NUL (jsonb cannot store it). Other control characters
 * are left to the fields' own schemas: a note may hold a tab or a new line.
 */
export function checkJsonValue(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonTextProblem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === "string") {
      if (item.value.includes("\u0000")) return { path: item.path, message: controlCharMessage(item.path || "the document") };
      continue;
    }
    if (typeof item.value !== "object" || item.value === null) continue;
    if (item.depth >= maxDepth) {
      return { path: item.path, message: `the JSON is nested more than ${maxDepth} levels deep; a workflow graph needs far fewer` };
    }
    const entries = Array.isArray(item.value) ? item.value.map((v, i) => [String(i), v] as const) : Object.entries(item.value);
    for (const [key, child] of entries) {
      const path = item.path ? `${item.path}.${key}` : key;
      if (key.includes("\u0000")) return { path, message: controlCharMessage(`the key ${JSON.stringify(key)}`) };
      stack.push({ value: child, path, depth: item.depth + 1 });
    }
  }
  return undefined;
}
