/** Every JSON route under app/api is documented in the README with its request and answer, so analysts can call it from a notebook. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const apiDir = join(root, "app", "api");

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return name === "route.ts" ? [path] : [];
  });
}

/** app/api/workflows/[id]/runs/route.ts → /api/workflows/<id>/runs (the README writes parameters as <name>). */
function documentedPath(file: string): string {
  const dir = relative(join(root, "app"), file).split(sep).slice(0, -1);
  return "/" + dir.map((part) => part.replace(/^\[(.+)\]$/, "<$1>")).join("/");
}

// next-auth's own endpoints (sign-in, callback, CSRF): its wire protocol, not ours to document.
const NOT_OURS = new Set(["/api/auth/<...nextauth>"]);

describe("README", () => {
  it("documents every route under app/api", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const routes = routeFiles(apiDir).map(documentedPath).filter((p) => !NOT_OURS.has(p));
    expect(routes.length).toBeGreaterThan(10);
    const missing = routes.filter((path) => !readme.includes(`${path}\``) && !readme.includes(`${path}?`) && !readme.includes(`${path} `));
    expect(missing).toEqual([]);
  });
});
