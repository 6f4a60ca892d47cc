import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth";

// Issue 8, point 8: correcting stored bars from the import panel, on the demo data, signed in as the
// demo analyst. Daily bars of 2004 (long before the demo's) so the chart's recent bars are untouched.
test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test("the import panel deletes a range of daily bars after a confirming click, and replaces one from a CSV", async ({ page }, info) => {
  test.setTimeout(60_000); // an import and three corrections, each a round trip
  await page.goto("/charts/VNINDEX?r=1D");
  await expect(page.getByTestId("chart")).toHaveAttribute("data-drawn", "true", { timeout: 15_000 });
  await page.getByRole("button", { name: "Import CSV" }).click();
  const panel = page.getByRole("complementary", { name: "Import CSV" });
  const csv = ["timestamp,open,high,low,close,volume", "2004-03-01,300,305,299,304,1000", "2004-03-02,304,306,303,305,1100", "2004-03-03,305,309,301,306,900"].join("\n");
  await panel.getByLabel("CSV file").setInputFiles({ name: "vnindex-2004.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await panel.getByLabel("Prices in").selectOption("points");
  await panel.getByLabel("Bars").selectOption("1D");
  await panel.getByRole("button", { name: "Preview" }).click();
  await panel.getByRole("button", { name: "Import", exact: true }).click();
  await expect(panel.getByTestId("import-result")).toContainText("Imported 3 bars.");

  const correction = panel.getByTestId("correction-panel");
  await correction.getByText("Correct stored bars").click();
  await correction.getByLabel("Bar size").selectOption("1D");
  await correction.getByLabel("From").fill("2004-03-02");
  await correction.getByLabel("To (not included)").fill("2004-03-04");
  await correction.getByRole("button", { name: "Delete bars…" }).click();
  await expect(correction.getByRole("alert")).toContainText("Delete VNINDEX's daily bars from 2004-03-02 up to 2004-03-04? Click again to confirm.");
  await page.screenshot({ path: info.outputPath("correction-confirm.png") });
  await correction.getByRole("button", { name: "Confirm: delete" }).click();
  await expect(correction.getByTestId("correction-result")).toContainText("Removed 2 and wrote 0 1D bars of VNINDEX");

  // Replace the remaining day with a corrected bar; a bar outside the range is refused, nothing changes.
  await correction.getByLabel("From").fill("2004-03-01");
  await correction.getByLabel("To (not included)").fill("2004-03-02");
  await correction.getByLabel("Correction").selectOption("replace");
  await correction.getByLabel("Unit of the replacement prices").selectOption("points");
  const outside = ["timestamp,open,high,low,close,volume", "2004-03-05,301,305,299,303,1000"].join("\n");
  await correction.getByLabel("Replacement CSV").setInputFiles({ name: "fix.csv", mimeType: "text/csv", buffer: Buffer.from(outside) });
  await correction.getByRole("button", { name: "Replace bars…" }).click();
  await correction.getByRole("button", { name: "Confirm: replace" }).click();
  await expect(correction.getByRole("alert")).toContainText("Nothing was changed: 1 replacement bar is not VNINDEX's or outside");
  const fixed = ["timestamp,open,high,low,close,volume", "2004-03-01,301,305,299,303,1000"].join("\n");
  await correction.getByLabel("Replacement CSV").setInputFiles({ name: "fix.csv", mimeType: "text/csv", buffer: Buffer.from(fixed) });
  await correction.getByRole("button", { name: "Replace bars…" }).click();
  await correction.getByRole("button", { name: "Confirm: replace" }).click();
  await expect(correction.getByTestId("correction-result")).toContainText("Removed 1 and wrote 1 1D bars of VNINDEX");
  await correction.getByTestId("correction-result").scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("correction-done.png") });
});
