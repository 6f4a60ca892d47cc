/**
 * The documentation travels with the code: every relative link in README.md and docs/*.md names a file
 * inside the repository, so a fresh clone (which has no ../shared) never shows a dead link.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const documents = ["README.md", ...readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** The targets of the Markdown links `[text](target)` and `[text]: target` outside fenced code blocks. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "");
  const inline = [...prose.matchAll(/\]\(\s*(?:<([^>]+)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)].map((m) => (m[1] ?? m[2])!);
  const reference = [...prose.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!);
  return [...inline, ...reference];
}

/** Links that leave the page for another file of the repository (not a web address, not an anchor). */
const isRelativeFileLink = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith("#");

describe("links in the documentation", () => {
  it("finds inline and reference links, and skips fenced code", () => {
    expect(linkTargets("see [a](docs/A.md#x) and [b](<b c.md>)\n[r]: ./r.md\n```\n[no](no.md)\n```\n")).toEqual(["docs/A.md#x", "b c.md", "./r.md"]);
  });

  for (const document of documents) {
    it(`${document}: every relative link resolves to a file inside the repository`, () => {
      const text = readFileSync(path.join(root, document), "utf8");
      const links = linkTargets(text).filter(isRelativeFileLink);
      const broken = links.filter((target) => {
        const file = path.resolve(path.dirname(path.join(root, document)), decodeURI(target.split("#")[0]!));
        const inside = !path.relative(root, file).startsWith("..");
        return !inside || !existsSync(file);
      });
      expect(broken, `${document} links outside the repository or to missing files`).toEqual([]);
    });
  }
});
