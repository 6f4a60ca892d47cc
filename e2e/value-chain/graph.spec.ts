import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn, signUp } from "../support/auth";

// The value-chain page (issue 10): the demo chain in three lanes, its filters and panels; editing for
// admins (the demo account is the installation's first account, hence its admin), reading for analysts.

async function openGraph(page: Page) {
  await page.goto("/value-chain");
  await expect(page.getByTestId("chain-canvas")).toHaveAttribute("data-drawn", "true", { timeout: 30_000 });
}

test("the demo chain in three lanes: filter to steel, open a node's links and a link's analysis", async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password, "/value-chain");
  await openGraph(page);
  for (const lane of ["Upstream", "Midstream", "Downstream"]) await expect(page.locator(".react-flow__node-lane", { hasText: lane })).toBeVisible();
  await expect(page.getByTestId("chain-node-PLX")).toHaveCount(1);

  await page.getByLabel("Sector").selectOption("Steel");
  await expect(page.getByTestId("chain-node-PLX")).toHaveCount(0);
  await expect(page.getByTestId("chain-node-HPG")).toBeVisible();
  // Iron ore is a commodity, linked to the steel makers: shown faded as their context.
  await expect(page.getByTestId("chain-node-IRON_ORE")).toHaveAttribute("data-context", "true");

  await page.getByTestId("chain-node-HPG").click();
  const panel = page.getByTestId("node-panel");
  await expect(panel.getByRole("heading", { name: "Hoa Phat Group" })).toBeVisible();
  await expect(panel.getByRole("link", { name: /Open the HPG chart/ })).toHaveAttribute("href", "/charts/HPG");
  await panel.getByTestId("upstream-links").getByRole("button", { name: /Iron ore/ }).click();
  const edge = page.getByTestId("edge-panel");
  await expect(edge.getByRole("heading", { level: 2 })).toHaveText(/Iron ore\s*→\s*Hoa Phat Group/);
  // The seed analyses the demo chain: iron ore's planted lead of 3 trading days on HPG, beyond the band.
  await expect(edge.getByTestId("edge-summary")).toContainText(/ρ 0\.\d\d · leads 3 d · significant/);
  const history = edge.getByTestId("edge-history").locator("tbody tr");
  await expect(history.first()).toBeVisible();
  const recomputations = await history.count();
  // A date is typed day first; one that is not a date is refused in words before anything is sent.
  const asOf = edge.getByLabel("As of (dd/mm/yyyy)");
  await asOf.fill("31/02/2026");
  await edge.getByRole("button", { name: "Recompute this link" }).click();
  await expect(edge.getByTestId("recompute-error")).toContainText("As of: write a date as dd/mm/yyyy");
  await expect(history).toHaveCount(recomputations);
  await asOf.fill("");
  // The admin recomputes it (POST /api/value-chain/edges/{id}/analysis): one more history row, the same lead.
  await edge.getByRole("button", { name: "Recompute this link" }).click();
  await expect(edge.getByTestId("recompute-result")).toContainText(/Recomputed: ρ 0\.\d\d · leads 3 d, n = [\d,]+, significant\./);
  await expect(history).toHaveCount(recomputations + 1);

  // Escape closes the panel; the keyboard reaches the nodes (Tab) and opens one (Enter).
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("chain-panel")).toHaveCount(0);
  await page.locator('.react-flow__node[data-id]').filter({ has: page.getByTestId("chain-node-HSG") }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("node-panel").getByRole("heading", { name: "Hoa Sen Group" })).toBeVisible();
});

test("an admin adds a node and a link with validated forms, and sees them in the change log", async ({ page }) => {
  const tag = Math.random().toString(36).slice(2, 7);
  const name = `E2E supplier ${tag}`;
  await signIn(page, DEMO.email, DEMO.password, "/value-chain");
  await openGraph(page);

  await page.getByRole("button", { name: "Add node" }).click();
  const form = page.getByTestId("node-form");
  await form.getByRole("button", { name: "Add node" }).click();
  await expect(form.getByTestId("vc-node-name-error")).toHaveText("name is required");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Lane").selectOption("Upstream");
  await form.getByLabel("Sector").fill("Steel");
  await form.getByLabel("Symbol (optional)").fill("NOPE9");
  await form.getByRole("button", { name: "Add node" }).click();
  // The server's reason, next to the field it names.
  await expect(form.getByTestId("vc-node-symbol-error")).toContainText("NOPE9 is not a known symbol");
  await form.getByLabel("Symbol (optional)").fill("");
  await form.getByRole("button", { name: "Add node" }).click();
  const panel = page.getByTestId("node-panel");
  await expect(panel.getByRole("heading", { name })).toBeVisible();

  await panel.getByRole("button", { name: "Add a link from here" }).click();
  const edgeForm = page.getByTestId("edge-form");
  await edgeForm.getByLabel("To").selectOption({ label: `${name} · Upstream` });
  await edgeForm.getByRole("button", { name: "Add link" }).click();
  await expect(edgeForm.getByTestId("vc-edge-target-error")).toContainText("cannot link a node to itself");
  await edgeForm.getByLabel("To").selectOption({ label: "Hoa Phat Group (HPG) · Midstream" });
  await edgeForm.getByLabel("Relationship (optional)").fill("supplies ore to");
  await edgeForm.getByRole("button", { name: "Add link" }).click();
  const edge = page.getByTestId("edge-panel");
  await expect(edge.getByRole("heading", { level: 2 })).toHaveText(new RegExp(`${name}\\s*→\\s*Hoa Phat Group`));
  await expect(edge.getByTestId("edge-summary")).toContainText("not computed yet");
  // Recomputing this link (POST /api/value-chain/edges/{id}/analysis) is covered with the analysis routes.

  await page.getByRole("button", { name: "Change log" }).click();
  const log = page.getByTestId("change-log");
  await expect(log.getByTestId("change-entry").filter({ hasText: `Link added: ${name} → Hoa Phat Group` })).toContainText(DEMO.email);
  await expect(log.getByTestId("change-entry").filter({ hasText: `Node added: ${name}` })).toContainText("lane: Upstream");
  await expect(log.getByTestId("change-entry").first()).toContainText("GMT+7");

  // Removing the node takes its link along, both logged.
  await page.getByLabel("Find a node").fill(name);
  await page.getByLabel("Find a node").press("Enter");
  await page.getByTestId("node-panel").getByRole("button", { name: "Delete…" }).click();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await expect(page.getByTestId("chain-panel")).toHaveCount(0);
  await page.getByRole("button", { name: "Change log" }).click();
  await expect(page.getByTestId("change-entry").filter({ hasText: `Node removed: ${name}` })).toBeVisible();
});

test("an analyst reads the chain but is offered no editing", async ({ page }) => {
  await signUp(page, "chain-analyst");
  await openGraph(page);
  await expect(page.getByTestId("chain-readonly-note")).toContainText("for admins");
  await expect(page.getByRole("button", { name: "Add node" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add link" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Recompute chain" })).toBeDisabled();
  await page.getByTestId("chain-node-HPG").click();
  await expect(page.getByTestId("node-panel")).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit node" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete…" })).toHaveCount(0);
  await page.getByTestId("downstream-links").getByRole("button").first().click();
  await expect(page.getByRole("button", { name: "Recompute this link" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Edit link" })).toHaveCount(0);
});
