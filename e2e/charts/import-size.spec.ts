import { expect, test, type Page } from "@playwright/test";
import { signIn } from "../support/auth";

// Issue 9, item 4: the documented 20 MB limit is the real one through the running app (its proxy
// included: it used to cut bodies at 10 MB, and the route answered "Send the file as multipart/form-data").
test.beforeEach(async ({ page }) => {
  await signIn(page);
});

/** 1-minute VN30 points of `bytes`, from 2006 (long before the demo data, so the chart's bars are untouched). */
function minuteFile(bytes: number): Buffer {
  const lines = ["timestamp,open,high,low,close"];
  let size = 0;
  for (let k = 0; size < bytes; k++) {
    const t = new Date(Date.UTC(2006, 0, 2, 2, 15) + k * 60_000).toISOString();
    const row = `${t.slice(0, 10)} ${t.slice(11, 16)},400.5,402.25,399.75,401.5`;
    lines.push(row);
    size += row.length + 1;
  }
  return Buffer.from(lines.join("\n") + "\n");
}

async function openImport(page: Page, file: Buffer, name: string) {
  await page.goto("/charts/VN30?r=1D");
  await expect(page.getByTestId("chart")).toHaveAttribute("data-drawn", "true", { timeout: 15_000 });
  await page.getByRole("button", { name: "Import CSV" }).click();
  const panel = page.getByRole("complementary", { name: "Import CSV" });
  await panel.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: file });
  await panel.getByLabel("Prices in").selectOption("points");
  await panel.getByLabel("Bars").selectOption("1m");
  return panel;
}

test("a 15 MB file previews and imports through the chart page", async ({ page }) => {
  test.setTimeout(180_000);
  const file = minuteFile(15 * 1024 * 1024);
  const rows = file.toString().trimEnd().split("\n").length - 1;
  const panel = await openImport(page, file, "vn30-15mb.csv");
  await panel.getByRole("button", { name: "Preview" }).click();
  await expect(panel.getByTestId("import-preview")).toContainText(`${rows.toLocaleString("en-US")} valid rows, no problems`, { timeout: 90_000 });
  await panel.getByRole("button", { name: "Import", exact: true }).click();
  await expect(panel.getByTestId("import-result")).toContainText(`Imported ${rows.toLocaleString("en-US")} bars.`, { timeout: 120_000 });
});

test("a 21 MB file is refused with the app's own message before anything is read or stored", async ({ page }) => {
  test.setTimeout(120_000);
  const panel = await openImport(page, minuteFile(21 * 1024 * 1024), "vn30-21mb.csv");
  await panel.getByRole("button", { name: "Preview" }).click();
  await expect(panel.getByRole("alert")).toContainText("The file is larger than the 20 MB limit; nothing was imported.", { timeout: 60_000 });
  // The preview is refused, so there is nothing to import.
  await expect(panel.getByRole("button", { name: "Import", exact: true })).toHaveCount(0);
});
