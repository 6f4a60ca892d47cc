/** Every variable of lib/env.ts is documented in .env.example and in the README's configuration table. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { envSchema } from "@/lib/env";

const root = new URL("..", import.meta.url);
const variables = Object.keys(envSchema.shape);

describe("configuration docs", () => {
  it(".env.example lists every variable, commented out, with no value that looks secret", () => {
    const example = readFileSync(new URL(".env.example", root), "utf8");
    for (const name of variables) expect(example, name).toMatch(new RegExp(`^# ${name}=`, "m"));
    // Nothing is set: every assignment is commented out.
    expect(example.split("\n").filter((l) => /^[A-Z_]+=/.test(l))).toEqual([]);
    expect(example).not.toMatch(/^# (NEXTAUTH_SECRET|FERNET_KEYS|QDRANT_API_KEY)=\S/m);
  });

  it("README's configuration table has a row for every variable", () => {
    const readme = readFileSync(new URL("README.md", root), "utf8");
    for (const name of variables) expect(readme, name).toContain(`| \`${name}\` |`);
  });
});
