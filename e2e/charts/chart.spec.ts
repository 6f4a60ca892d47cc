import { expect, test, type Locator, type Page } from "@playwright/test";
import { signIn } from "../support/auth";

// Issue 4's "Done when" on the demo data (lib/demo/market.ts: HPG on HOSE, 60 trading days of 1-minute bars,
// five years of daily bars), in Chromium, signed in as the demo analyst.
test.beforeEach(async ({ page }) => {
  await signIn(page);
});

const chart = (page: Page) => page.getByTestId("chart");

async function drawn(page: Page): Promise<Locator> {
  const c = chart(page);
  await expect(c).toHaveAttribute("data-drawn", "true", { timeout: 15_000 });
  return c;
}

/** The GMT+7 wall-clock "HH:mm" of an ISO time the API gave (it carries +07:00). */
function vnClock(iso: string): string {
  expect(iso).toMatch(/\+07:00$/);
  return iso.slice(11, 16);
}

test("HPG opens with candles in GMT+7, and the resolution switch is kept in the address", async ({ page }) => {
  await page.goto("/charts/HPG?r=1m");
  await expect(page.getByRole("heading", { level: 1, name: "HPG" })).toBeVisible();
  let c = await drawn(page);
  expect(Number(await c.getAttribute("data-bars-count"))).toBeGreaterThan(100);
  // The last 1-minute bar of a HOSE day is the closing auction's, at 14:45 Vietnam time (not 07:45 UTC).
  const last = (await c.getAttribute("data-last-time")) ?? "";
  expect(vnClock(last)).toBe("14:45");
  await expect(page.getByTestId("last-bar")).toContainText("14:45");
  // Intraday: the day's reference, ceiling and floor are drawn, and named in the legend.
  await expect(c).toHaveAttribute("data-price-lines", "3");
  const legend = page.getByTestId("chart-legend");
  await expect(legend).toContainText(/Ceiling [\d,]+/);
  await expect(legend).toContainText(/Ref [\d,]+/);
  await expect(legend).toContainText(/Floor [\d,]+/);
  // O H L C in full VND with separators, volume abbreviated with the exact figure in the title.
  await expect(legend).toContainText(/O\s*\d{1,3},\d{3}/);
  await expect(legend.getByText(/^Vol [\d.]+[KMB]?$/)).toHaveAttribute("title", /^Volume [\d,]+ shares$/);

  const resolution = page.getByRole("radiogroup", { name: "Resolution" });
  await resolution.getByRole("radio", { name: "1h" }).click();
  await expect(page).toHaveURL(/\/charts\/HPG\?r=1h$/);
  await expect(chart(page)).toHaveAttribute("data-resolution", "1h");
  c = await drawn(page);
  // Hourly bars start on the hour, in the morning or afternoon session — never in the lunch break.
  const hour = Number(vnClock((await c.getAttribute("data-last-time")) ?? "").slice(0, 2));
  expect([9, 10, 11, 13, 14]).toContain(hour);

  // Keyboard: the radio group moves with the arrow keys.
  await resolution.getByRole("radio", { name: "1h" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(resolution.getByRole("radio", { name: "4h" })).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("ArrowRight");
  await expect(resolution.getByRole("radio", { name: "1D" })).toHaveAttribute("aria-checked", "true");
  await expect(page).toHaveURL(/\?r=1D$/);
  c = await drawn(page);
  await expect(c).toHaveAttribute("data-resolution", "1D");
  // Daily charts show the next session's limits, in that session's slot after the newest bar.
  await expect(c).toHaveAttribute("data-price-lines", "3");
  const newest = ((await c.getAttribute("data-last-time")) ?? "").slice(0, 10);
  const next = (await c.getAttribute("data-limits-from")) ?? "";
  expect(next > newest).toBe(true);
  await expect(c).toHaveAttribute("data-limits-to", next);
  await expect(page.getByTestId("price-limits")).toContainText(`Next session ${next.split("-").reverse().join("/")}:`);

  // The choice survives a reload.
  await page.reload();
  await expect(page.getByRole("radio", { name: "1D" })).toHaveAttribute("aria-checked", "true");
});

test("scrolling back loads older history, once per page, until there is none", async ({ page }) => {
  await page.goto("/charts/HPG?r=1D");
  const c = await drawn(page);
  const firstCount = Number(await c.getAttribute("data-bars-count"));
  const firstTime = (await c.getAttribute("data-first-time")) ?? "";
  const requests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/candles") && r.url().includes("to=")) requests.push(r.url());
  });
  const box = (await c.boundingBox())!;
  // Drag the time scale to the right (towards the past) until the older page has arrived.
  for (let i = 0; i < 12 && Number(await c.getAttribute("data-bars-count")) <= firstCount; i++) {
    await page.mouse.move(box.x + 150, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 150, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForTimeout(250);
  }
  await expect.poll(async () => Number(await c.getAttribute("data-bars-count"))).toBeGreaterThan(firstCount);
  const olderTime = (await c.getAttribute("data-first-time")) ?? "";
  expect(Date.parse(olderTime)).toBeLessThan(Date.parse(firstTime));
  // Each older page was asked for once: no two requests for the same `to`.
  expect(new Set(requests).size).toBe(requests.length);
});

test("an overlay is toggled from the legend", async ({ page }) => {
  await page.goto("/charts/HPG?r=1D");
  await drawn(page);
  const sma = page.getByTestId("chart-legend").getByRole("button", { name: "SMA 20" });
  await expect(sma).toHaveAttribute("aria-pressed", "false");
  await sma.click();
  await expect(sma).toHaveAttribute("aria-pressed", "true");
  await sma.press("Enter");
  await expect(sma).toHaveAttribute("aria-pressed", "false");
});

test("indicator panes: RSI adds a pane under the price, MACD another, and the choice is remembered", async ({ page }) => {
  await page.goto("/charts/HPG?r=1D");
  let c = await drawn(page);
  await expect(c).toHaveAttribute("data-panes", "1");
  const legend = page.getByTestId("chart-legend");
  const rsi = legend.getByRole("button", { name: "RSI 14" });
  await rsi.click();
  await expect(rsi).toHaveAttribute("aria-pressed", "true");
  await expect(c).toHaveAttribute("data-panes", "2");
  await expect(c).toHaveAttribute("data-indicators", "rsi");
  // The panes are lightweight-charts' own: a second pane has its own canvases under the first.
  await expect.poll(() => c.locator("canvas").count()).toBeGreaterThan(4);
  await legend.getByRole("button", { name: "MACD 12, 26, 9" }).press("Enter");
  await expect(c).toHaveAttribute("data-panes", "3");
  await expect(c).toHaveAttribute("data-indicators", "rsi macd");

  await page.reload();
  c = await drawn(page);
  await expect(page.getByTestId("chart-legend").getByRole("button", { name: "RSI 14" })).toHaveAttribute("aria-pressed", "true");
  await expect(c).toHaveAttribute("data-panes", "3");
  await page.getByTestId("chart-legend").getByRole("button", { name: "RSI 14" }).click();
  await expect(c).toHaveAttribute("data-panes", "2");
  await expect(c).toHaveAttribute("data-indicators", "macd");
});

test("an overlay's period is edited from the keyboard, 2 to 400 bars, and a wrong one is refused in words", async ({ page }) => {
  await page.goto("/charts/HPG?r=1D");
  await drawn(page);
  const legend = page.getByTestId("chart-legend");
  await legend.getByRole("button", { name: "SMA 20" }).press("Enter");
  const field = legend.getByRole("spinbutton", { name: "SMA period (bars)" });
  await expect(field).toHaveValue("20");
  await page.keyboard.press("Tab");
  await expect(field).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("5");
  await page.keyboard.press("Enter");
  await expect(legend.getByRole("button", { name: "SMA 5" })).toHaveAttribute("aria-pressed", "true");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("401");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(legend.getByRole("alert")).toHaveText("From 2 to 400 bars");
  // Not applied, not even the 4 and 40 typed on the way: the overlay keeps 5 bars, and leaving the field puts 5 back.
  await page.keyboard.press("Enter");
  await expect(legend.getByRole("button", { name: "SMA 5" })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(field).toHaveValue("5");
  await expect(legend.getByRole("alert")).toHaveCount(0);
  await page.reload();
  await drawn(page);
  await expect(page.getByTestId("chart-legend").getByRole("button", { name: "SMA 5" })).toHaveAttribute("aria-pressed", "true");
});

test("1W draws weekly bars from Monday and 1M monthly bars, with the year on the axis", async ({ page }) => {
  await page.goto("/charts/HPG?r=1D");
  await drawn(page);
  const daily = Number(await chart(page).getAttribute("data-bars-count"));
  await page.getByRole("radiogroup", { name: "Resolution" }).getByRole("radio", { name: "1W", exact: true }).click();
  await expect(page).toHaveURL(/\?r=1W$/);
  await expect(chart(page)).toHaveAttribute("data-resolution", "1W");
  let c = await drawn(page);
  // Five years of demo days make about 260 weeks, each starting on a Monday (Vietnamese date).
  const weeks = Number(await c.getAttribute("data-bars-count"));
  expect(weeks).toBeGreaterThan(200);
  expect(weeks).toBeLessThan(300);
  expect(weeks).toBeLessThan(daily);
  for (const attr of ["data-first-time", "data-last-time"]) {
    const iso = (await c.getAttribute(attr)) ?? "";
    expect(iso).toMatch(/T00:00:00\+07:00$/);
    expect(new Date(`${iso.slice(0, 10)}T00:00:00Z`).getUTCDay(), `${attr} ${iso}`).toBe(1);
  }
  // The opening view covers two years or more: months and days carry the year.
  await expect(c).toHaveAttribute("data-spans-years", "true");

  await page.getByRole("radiogroup", { name: "Resolution" }).getByRole("radio", { name: "1M", exact: true }).click();
  await expect(chart(page)).toHaveAttribute("data-resolution", "1M");
  c = await drawn(page);
  const months = Number(await c.getAttribute("data-bars-count"));
  expect(months).toBeGreaterThanOrEqual(60);
  expect(months).toBeLessThanOrEqual(62);
  expect(((await c.getAttribute("data-last-time")) ?? "").slice(8, 10)).toBe("01");
  await expect(page.getByTestId("chart-legend")).toContainText(/HPG · 1M\s*\d{2}\/\d{4}/);
});

test("the page's HTML already holds the candles, drawn before the chart library has loaded", async ({ page }) => {
  const response = await page.request.get("/charts/HPG?r=1D");
  expect(response.status()).toBe(200);
  const html = await response.text();
  const preview = /data-testid="chart-preview"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? "";
  // Rising and falling bodies as paths: one "M" per candle, the newest 130 days between them.
  const bodies = [...preview.matchAll(/<path d="([^"]*)" class="[^"]*preview(Up|Down)"/g)].map((m) => (m[1]?.match(/M/g) ?? []).length);
  expect(bodies.reduce((a, b) => a + b, 0)).toBe(130);
  // Once the live chart has drawn, the preview is gone.
  await page.goto("/charts/HPG?r=1D");
  await drawn(page);
  await expect(page.getByTestId("chart-preview")).toHaveCount(0);
});

test("the symbol search lists symbols and opens one with the keyboard", async ({ page }) => {
  await page.goto("/charts");
  await page.locator("body").press("/");
  const search = page.getByRole("combobox", { name: "Search symbol" });
  await expect(search).toBeFocused();
  await search.pressSequentially("HP");
  const list = page.getByRole("listbox", { name: "Symbols" });
  await expect(list.getByRole("option", { name: /HPG/ })).toBeVisible();
  await search.press("ArrowDown");
  await expect(list.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
  const first = ((await list.getByRole("option").first().textContent()) ?? "").slice(0, 3);
  await search.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/charts/${first}`));
});

test("the 404 symbol page: an unknown symbol is named as such, offers no DNSE or import button, and a way to search", async ({ page }) => {
  // The demo analyst is an admin: on a known symbol both buttons are there.
  await page.goto("/charts/VN30?r=1D");
  await expect(page.getByRole("button", { name: "Import CSV" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Load history from DNSE" })).toBeVisible();

  const response = await page.goto("/charts/HPGX");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "HPGX is not a symbol we know" })).toBeVisible();
  const notice = page.getByTestId("unknown-symbol");
  await expect(notice).toContainText("QuantFlow has no symbol HPGX on HOSE, HNX or UPCOM");
  await expect(page.getByRole("button", { name: "Import CSV" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Load history from DNSE" })).toHaveCount(0);
  await notice.getByRole("button", { name: "Search for a symbol" }).click();
  await expect(page.getByLabel("Search symbol")).toBeFocused();
});

test("a CSV with one bad row: the preview names it, and importing skips exactly that row", async ({ page }) => {
  await page.goto("/charts/VN30?r=1D");
  await drawn(page);
  await page.getByRole("button", { name: "Import CSV" }).click();
  const panel = page.getByRole("complementary", { name: "Import CSV" });
  // Index points, dates long before the demo data so the chart's recent bars are untouched.
  const csv = [
    "timestamp,open,high,low,close,volume",
    "2005-03-01,300.5,305.2,299.1,304.0,1000000",
    "2005-03-02,304.0,306.0,303.0,305.5,1100000",
    "2005-03-03,305.5,301.0,309.0,306.0,900000", // high below low
    "2005-03-04,306.0,308.0,305.0,307.5,950000",
  ].join("\n");
  await panel.getByLabel("CSV file").setInputFiles({ name: "vn30-small.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await panel.getByLabel("Prices in").selectOption("points");
  await panel.getByLabel("Bars").selectOption("1D");
  await panel.getByRole("button", { name: "Preview" }).click();
  const preview = panel.getByTestId("import-preview");
  await expect(preview).toContainText("3 valid rows, 1 problem");
  await expect(preview.getByRole("list")).toContainText("Line 4:");
  await expect(panel.getByRole("button", { name: "Import", exact: true })).toBeDisabled();

  await panel.getByLabel("Skip bad rows").check();
  await panel.getByRole("button", { name: "Import, skipping bad rows" }).click();
  const result = panel.getByTestId("import-result");
  await expect(result).toContainText("Imported 3 bars.");
  await expect(result).toContainText("Skipped 1 row:");
  await expect(result).toContainText("Line 4:");
});

test("a HOSE stock's limits come from the previous close, and say they are computed", async ({ page }) => {
  await page.goto("/charts/HPG?r=1m");
  await drawn(page);
  const limits = page.getByTestId("price-limits");
  await expect(limits).toHaveAttribute("data-basis", "previous-close");
  await expect(limits).toContainText("computed · ref = previous close");
  await expect(limits).toHaveAttribute("title", /computed by QuantFlow.*ex-rights day's adjusted reference is not applied/);
});

test("an UPCOM stock's limits come from the previous session's average price, and say so", async ({ page }) => {
  // HBC is on UPCOM in the demo universe, with 1-minute bars for the last days.
  await page.goto("/charts/HBC?r=1m");
  const c = await drawn(page);
  await expect(c).toHaveAttribute("data-price-lines", "3");
  const limits = page.getByTestId("price-limits");
  await expect(limits).toHaveAttribute("data-basis", "previous-vwap");
  await expect(limits).toContainText("computed · ref = previous average price");
  await expect(limits).toHaveAttribute("title", /volume-weighted average price \(UPCOM\).*typical price.*ex-rights/);
  // ±15 % around the reference, inside it on the 100 VND grid.
  const [ceiling, reference, floor] = await Promise.all(
    ["price-ceiling", "price-ref", "price-floor"].map(async (cls) => Number(((await limits.locator(`.${cls}`).textContent()) ?? "").replace(/[^\d]/g, ""))),
  );
  expect(ceiling).toBe(Math.floor((reference! * 1.15) / 100 + 1e-9) * 100);
  expect(floor).toBe(Math.ceil((reference! * 0.85) / 100 - 1e-9) * 100);
  await page.screenshot({ path: test.info().outputPath("upcom-limits.png") });
});

test("a file in thousand VND read as VND: the preview warns and the import waits for a confirmation", async ({ page }) => {
  await page.goto("/charts/POM?r=1D");
  await drawn(page);
  await page.getByRole("button", { name: "Import CSV" }).click();
  const panel = page.getByRole("complementary", { name: "Import CSV" });
  // Long before the demo data; prices on UPCOM's 100 VND grid once read as thousand VND.
  const csv = ["timestamp,open,high,low,close,volume", "2005-03-01,25.9,26.4,25.8,26.3,1000", "2005-03-02,26.3,26.5,26.1,26.2,1000", "2005-03-03,26.2,26.3,25.8,25.9,1000"].join("\n");
  await panel.getByLabel("CSV file").setInputFiles({ name: "pom.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await panel.getByLabel("Prices in").selectOption("VND");
  await panel.getByLabel("Bars").selectOption("1D");
  await panel.getByRole("button", { name: "Preview" }).click();
  const warnings = panel.getByTestId("import-warnings");
  await expect(warnings).toContainText("Check the unit");
  await expect(panel.getByTestId("import-preview")).toContainText(/3 valid rows, no problems, [12] unit warnings?\. First rows:/);
  await expect(warnings).toContainText("12 of 12 prices are off the UPCOM tick grid, most of them fractions of a dong");
  const importButton = panel.getByRole("button", { name: "Import", exact: true });
  await expect(importButton).toBeDisabled();
  await warnings.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath("import-unit-warning.png") });
  const confirm = panel.getByLabel("The prices are in VND: import anyway");
  await confirm.check();
  await expect(importButton).toBeEnabled();
  await confirm.uncheck();
  await expect(importButton).toBeDisabled();

  // The right unit: no warning, and the import goes through.
  await panel.getByLabel("Prices in").selectOption("thousand VND");
  await panel.getByRole("button", { name: "Preview" }).click();
  await expect(panel.getByTestId("import-preview")).toContainText("3 valid rows, no problems. First rows:");
  await expect(panel.getByTestId("import-warnings")).toHaveCount(0);
  await importButton.click();
  await expect(panel.getByTestId("import-result")).toContainText("Imported 3 bars.");
});

test("a bar outside the sanity bounds refuses the file, and a file that replaces stored bars says which", async ({ page }) => {
  await page.goto("/charts/HPG?r=1D");
  await drawn(page);
  await page.getByRole("button", { name: "Import CSV" }).click();
  const panel = page.getByRole("complementary", { name: "Import CSV" });
  // Long before the demo data; +40 % in a day is beyond HOSE's ±7 %.
  const file = (second: string) => ["timestamp,open,high,low,close,volume", "2006-03-01,25,25.5,24.8,25,1000", `2006-03-02,${second},1000`].join("\n");
  const choose = async (name: string, csv: string) => {
    await panel.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
    await panel.getByLabel("Prices in").selectOption("thousand VND");
    await panel.getByLabel("Bars").selectOption("1D");
    await panel.getByRole("button", { name: "Preview" }).click();
  };
  const importButton = panel.getByRole("button", { name: "Import", exact: true });

  await choose("jump.csv", file("35,35,35,35"));
  const bounds = panel.getByTestId("import-out-of-bounds");
  await expect(bounds).toContainText("Outside the sanity bounds");
  await expect(bounds).toContainText("Line 3: (HPG 2006-03-02T00:00:00+07:00): high 35,000 is above the ceiling of 2006-03-02 (HOSE ±7 %");
  await expect(importButton).toBeDisabled();

  await choose("fixed.csv", file("25,26,25,26"));
  await expect(panel.getByTestId("import-out-of-bounds")).toHaveCount(0);
  await importButton.click();
  await expect(panel.getByTestId("import-result")).toContainText("Imported 2 bars.");

  // The same days again with another close for 2006-03-02: the preview and the result name the replaced bar.
  await choose("again.csv", file("25,26.5,25,26.5"));
  await expect(panel.getByTestId("import-preview-changes")).toContainText("Importing replaces 1 stored bar with different values");
  await expect(panel.getByTestId("import-preview-changes")).toContainText("2006-03-02T00:00:00+07:00: O 25,000 H 26,000 L 25,000 C 26,000 V 1,000 → O 25,000 H 26,500 L 25,000 C 26,500 V 1,000");
  await importButton.click();
  await expect(panel.getByTestId("import-changes")).toContainText("Replaced 1 stored bar with different values");
});

test("the legend colours a price against the day's reference, and the limits cover the latest session only", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/charts/HPG?r=1m");
  const c = await drawn(page);
  await expect(c).toHaveAttribute("data-price-lines", "3");
  const last = (await c.getAttribute("data-last-time")) ?? "";
  const first = (await c.getAttribute("data-first-time")) ?? "";
  const from = (await c.getAttribute("data-limits-from")) ?? "";
  const to = (await c.getAttribute("data-limits-to")) ?? "";
  // The lines run from the latest session's opening bar to its last bar, and not over earlier days loaded.
  expect(to).toBe(last);
  expect(from.slice(0, 10)).toBe(last.slice(0, 10));
  expect(vnClock(from) < "09:20").toBe(true);
  expect(first.slice(0, 10) < from.slice(0, 10)).toBe(true);

  // Hover the latest session until the crosshair finds a close under the reference: red, as on a board.
  const legend = page.getByTestId("chart-legend");
  const limits = page.getByTestId("price-limits");
  const num = async (l: Locator) => Number(((await l.textContent()) ?? "").replace(/[^\d]/g, ""));
  const ref = await num(limits.locator(".price-ref"));
  const floor = await num(limits.locator(".price-floor"));
  const box = (await page.getByRole("img", { name: /HPG candles at 1m/ }).boundingBox())!;
  const ohlc = legend.locator("dl");
  const close = ohlc.locator("dd").nth(3);
  let found = false;
  for (let x = box.x + box.width - 80; x > box.x + box.width / 2 && !found; x -= 12) {
    await page.mouse.move(x, box.y + box.height / 2);
    if ((await ohlc.getAttribute("data-coloured-by")) !== "reference") continue;
    const price = await num(close);
    if (price < ref && price > floor) {
      found = true;
      await expect(close).toHaveAttribute("data-tone", "down");
      const [colour, red] = await close.evaluate((el) => [
        getComputedStyle(el).color,
        getComputedStyle(document.documentElement).getPropertyValue("--price-down").trim(),
      ]);
      const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;
      expect(colour).toBe(rgb(red));
    }
  }
  expect(found, "a close of the latest session under its reference").toBe(true);
});
