import { expect, test, type Page } from "@playwright/test";
import { signUp } from "../support/auth";

const TEMPLATES = ["RSI oversold steel stocks", "Golden cross on VN30", "Liquidity spike alert"];

interface Geometry {
  zoom: number;
  nodes: { id: string; x: number; y: number; left: number; top: number; right: number; bottom: number }[];
  /** Each edge's path sampled every 2 px, in screen coordinates. */
  edges: { label: string; source: string; target: string; points: { x: number; y: number }[] }[];
}

/** Node boxes and edge paths as Chromium drew them (React Flow renders edges as SVG paths). */
function readGeometry(page: Page): Promise<Geometry> {
  return page.evaluate(() => {
    const transform = getComputedStyle(document.querySelector(".react-flow__viewport")!).transform;
    const zoom = new DOMMatrixReadOnly(transform).a;
    const nodes = [...document.querySelectorAll<HTMLElement>(".react-flow__node")].map((el) => {
      const r = el.getBoundingClientRect();
      const m = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(el.style.transform);
      return { id: el.dataset.id!, x: Number(m?.[1]), y: Number(m?.[2]), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    });
    const edges = [...document.querySelectorAll<SVGGElement>(".react-flow__edge")].map((g) => {
      const label = g.getAttribute("aria-label") ?? "";
      const [, source = "", target = ""] = /^Edge from (.+) to (.+)$/.exec(label) ?? [];
      const path = g.querySelector<SVGPathElement>("path.react-flow__edge-path")!;
      const ctm = path.getScreenCTM()!;
      const length = path.getTotalLength();
      const points: { x: number; y: number }[] = [];
      for (let l = 0; l <= length; l += 2) {
        const p = path.getPointAtLength(l).matrixTransform(ctm);
        points.push({ x: p.x, y: p.y });
      }
      return { label, source, target, points };
    });
    return { zoom, nodes, edges };
  });
}

/** Every edge point inside a node that is not one of the edge's ends (1 px inside the box: a wire may touch a border). */
function wiresBehindNodes(g: Geometry): string[] {
  const found: string[] = [];
  for (const e of g.edges) {
    for (const n of g.nodes) {
      if (n.id === e.source || n.id === e.target) continue;
      const hit = e.points.find((p) => p.x > n.left + 1 && p.x < n.right - 1 && p.y > n.top + 1 && p.y < n.bottom - 1);
      if (hit) found.push(`${e.label} runs behind ${n.id} at ${Math.round(hit.x)},${Math.round(hit.y)}`);
    }
  }
  return found;
}

test("starter templates are laid out with no wire behind a node, fitted at a legible zoom; Arrange is undone by Ctrl+Z", async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signUp(page, "wf-layout");
  await page.goto("/workflows");
  await page.locator("div", { has: page.getByRole("heading", { name: TEMPLATES[0] }) }).last().getByRole("button", { name: "Use this template" }).click();
  await expect(page.getByRole("link", { name: TEMPLATES[0], exact: true })).toBeVisible();
  for (const name of TEMPLATES.slice(1)) {
    await page.getByLabel("Starter template").selectOption({ label: name });
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  }

  for (const name of TEMPLATES) {
    await page.goto("/workflows");
    await page.getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const canvas = page.getByTestId("workflow-canvas");
    await expect(canvas.locator(".react-flow__edge").first()).toBeVisible();
    await page.waitForTimeout(300); // the fit runs once the nodes are measured
    const g = await readGeometry(page);
    expect(g.nodes.length, name).toBeGreaterThan(4);
    expect(g.edges.length, name).toBeGreaterThan(4);
    expect(g.edges.every((e) => e.source && e.target && e.points.length > 10), name).toBe(true);
    expect(wiresBehindNodes(g), name).toEqual([]);
    // Node text is 12 px: the fit never shrinks it under 11 px on screen.
    expect(g.zoom * 12, name).toBeGreaterThanOrEqual(11 - 1e-6);
  }

  // Move a node by hand, Arrange, then Ctrl+Z puts the hand-placed positions back.
  const node = page.getByTestId("wf-node-candles");
  const box = (await node.boundingBox())!;
  await page.mouse.move(box.x + 40, box.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + 40, box.y + 260, { steps: 8 });
  await page.mouse.up();
  const moved = (await readGeometry(page)).nodes.map(({ id, x, y }) => ({ id, x, y }));
  await page.getByRole("button", { name: "Arrange" }).click();
  await expect(page.getByTestId("builder-status")).toContainText("Arranged 9 nodes");
  await page.waitForTimeout(300);
  const arranged = await readGeometry(page);
  expect(arranged.nodes.map(({ id, x, y }) => ({ id, x, y }))).not.toEqual(moved);
  expect(wiresBehindNodes(arranged)).toEqual([]);
  await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+z");
  await expect.poll(async () => (await readGeometry(page)).nodes.map(({ id, x, y }) => ({ id, x, y }))).toEqual(moved);

  // The keyboard reaches Arrange too (Alt+Shift+T).
  await page.keyboard.press("Alt+Shift+T");
  await expect.poll(async () => (await readGeometry(page)).nodes.map(({ id, x, y }) => ({ id, x, y }))).toEqual(arranged.nodes.map(({ id, x, y }) => ({ id, x, y })));
});
