import { expect, test, type Locator, type Page } from "@playwright/test";
import pg from "pg";
import { signIn, signUp } from "../support/auth";

/**
 * The price board (issue 13, item 4) on rows this spec plants in the e2e database: five stocks of a
 * sector of their own, all with a reference of 10,000 ₫ (the previous session's close), now at the
 * ceiling (HOSE +7 %), up, on the reference, down, and at the floor (HNX −10 %).
 */
const SECTOR = "E2E board";
const PLANTED = [
  { symbol: "QFBCEIL", exchange: "HOSE", last: 10_700, volume: 5_000, tone: "ceiling" },
  { symbol: "QFBUP", exchange: "HOSE", last: 10_200, volume: 4_000, tone: "up" },
  { symbol: "QFBREF", exchange: "HOSE", last: 10_000, volume: 3_000, tone: "ref" },
  { symbol: "QFBDOWN", exchange: "HOSE", last: 9_800, volume: 2_000, tone: "down" },
  { symbol: "QFBFLOOR", exchange: "HNX", last: 9_000, volume: 1_000, tone: "floor" },
] as const;

test.skip(!process.env.DATABASE_URL, "plants its rows through DATABASE_URL (the e2e database the app serves)");

test.beforeAll(async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    for (const p of PLANTED) {
      await client.query(
        "INSERT INTO market_symbols (symbol, name, kind, exchange, sector) VALUES ($1, $2, 'stock', $3, $4) ON CONFLICT (symbol) DO NOTHING",
        [p.symbol, `Board test ${p.tone}`, p.exchange, SECTOR],
      );
      // Two sessions' official daily bars (Monday 5 and Tuesday 6 January 2026, Vietnam time); idempotent.
      for (const [date, close, volume] of [
        ["2026-01-05", 10_000, 100],
        ["2026-01-06", p.last, p.volume],
      ] as const) {
        await client.query(
          `INSERT INTO market_candles_eod (time, symbol, open, high, low, close, volume) VALUES ($1, $2, $3, $3, $3, $3, $4)
           ON CONFLICT (symbol, time) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume`,
          [`${date}T00:00:00+07:00`, p.symbol, close, volume],
        );
      }
    }
  } finally {
    await client.end();
  }
});

const board = (page: Page) => page.getByTestId("price-board");
const row = (page: Page, symbol: string) => board(page).locator(`tr[data-symbol="${symbol}"]`);
const symbolsInOrder = (page: Page) => board(page).locator("tbody tr[data-symbol]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-symbol")));

/** The board's own sector: the planted rows only. The board caches 15 s and polls every 15 s, so they may take a poll to appear. */
async function showPlanted(page: Page) {
  await page.getByLabel("Sector").selectOption(SECTOR, { timeout: 40_000 });
  await expect(row(page, "QFBCEIL")).toBeVisible();
  await expect(board(page).locator("tbody tr[data-symbol]")).toHaveCount(PLANTED.length);
}

/** The colour a CSS variable resolves to on this page, as getComputedStyle writes colours. */
async function cssColour(page: Page, variable: string): Promise<string> {
  return page.evaluate((v) => {
    const probe = document.createElement("span");
    probe.style.color = `var(${v})`;
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }, variable);
}

const colourOf = (cell: Locator) => cell.evaluate((el) => getComputedStyle(el).color);

test.describe("the price board", () => {
  test.setTimeout(120_000);

  test("colours each price as a board does: purple ceiling, green up, yellow reference, red down, cyan floor", async ({ page }) => {
    await signIn(page);
    await showPlanted(page);
    const lastColumn = 2; // star, symbol, last
    for (const p of PLANTED) {
      const r = row(page, p.symbol);
      await expect(r).toHaveAttribute("data-tone", p.tone);
      const last = r.locator("td, th").nth(lastColumn);
      await expect(last).toHaveText(new Intl.NumberFormat("en-US").format(p.last));
      expect(await colourOf(last), p.symbol).toBe(await cssColour(page, `--price-${p.tone}`));
    }
    await expect(row(page, "QFBCEIL")).toContainText("+7.00%");
    await expect(row(page, "QFBFLOOR")).toContainText("-10.00%");
    await expect(row(page, "QFBREF")).toContainText("0.00%");
    // Reference, ceiling and floor columns: HOSE 10,000 / 10,700 / 9,300; HNX 10,000 / 11,000 / 9,000.
    await expect(row(page, "QFBCEIL")).toContainText(/10,000\s*10,700\s*9,300$/);
    await expect(row(page, "QFBFLOOR")).toContainText(/10,000\s*11,000\s*9,000$/);
    // The exchange filter: HNX leaves the floor row only.
    await page.getByLabel("Exchange").selectOption("HNX");
    await expect(board(page).locator("tbody tr[data-symbol]")).toHaveCount(1);
    await expect(row(page, "QFBFLOOR")).toBeVisible();
    // Each row opens its chart.
    await row(page, "QFBFLOOR").getByRole("link", { name: "QFBFLOOR" }).click();
    await expect(page).toHaveURL(/\/charts\/QFBFLOOR$/);
  });

  test("sorts by a column with the mouse and the keyboard, saying so in aria-sort", async ({ page }) => {
    await signIn(page);
    await showPlanted(page);
    const volume = board(page).getByRole("columnheader", { name: /Volume/ });
    await expect(volume).toHaveAttribute("aria-sort", "none");
    await volume.getByRole("button").click();
    await expect(volume).toHaveAttribute("aria-sort", "descending");
    expect(await symbolsInOrder(page)).toEqual(["QFBCEIL", "QFBUP", "QFBREF", "QFBDOWN", "QFBFLOOR"]);
    await volume.getByRole("button").click();
    await expect(volume).toHaveAttribute("aria-sort", "ascending");
    expect(await symbolsInOrder(page)).toEqual(["QFBFLOOR", "QFBDOWN", "QFBREF", "QFBUP", "QFBCEIL"]);
    // By keyboard: the % header's button, Enter.
    const pct = board(page).getByRole("columnheader", { name: "%" });
    await pct.getByRole("button").focus();
    await page.keyboard.press("Enter");
    await expect(pct).toHaveAttribute("aria-sort", "descending");
    await expect(volume).toHaveAttribute("aria-sort", "none");
    expect(await symbolsInOrder(page)).toEqual(["QFBCEIL", "QFBUP", "QFBREF", "QFBDOWN", "QFBFLOOR"]);
    await page.keyboard.press("Space");
    await expect(pct).toHaveAttribute("aria-sort", "ascending");
    expect(await symbolsInOrder(page)).toEqual(["QFBFLOOR", "QFBDOWN", "QFBREF", "QFBUP", "QFBCEIL"]);
  });

  test("a starred stock goes first, in the watchlist, and stays there after a reload; unstarring puts it back", async ({ page }) => {
    await signUp(page, "board-watch");
    await showPlanted(page);
    const volume = board(page).getByRole("columnheader", { name: /Volume/ });
    await volume.getByRole("button").click();
    expect((await symbolsInOrder(page))[0]).toBe("QFBCEIL");
    await row(page, "QFBREF").getByRole("button", { name: "Add QFBREF to the watchlist" }).click();
    await expect(page.getByTestId("board-watchlist").locator("tr[data-symbol]")).toHaveCount(1);
    expect(await symbolsInOrder(page)).toEqual(["QFBREF", "QFBCEIL", "QFBUP", "QFBDOWN", "QFBFLOOR"]);
    await expect(row(page, "QFBREF").getByRole("button", { name: "Remove QFBREF from the watchlist" })).toHaveAttribute("aria-pressed", "true");

    await page.reload();
    await showPlanted(page);
    expect((await symbolsInOrder(page))[0]).toBe("QFBREF");
    await row(page, "QFBREF").getByRole("button", { name: "Remove QFBREF from the watchlist" }).click();
    await expect(page.getByTestId("board-watchlist").locator("tr[data-symbol]")).toHaveCount(0);
    await expect(page.getByTestId("watchlist-heading")).toContainText("star a stock");
    await page.reload();
    await showPlanted(page);
    await expect(page.getByTestId("board-watchlist").locator("tr[data-symbol]")).toHaveCount(0);
  });

  test("on a 390×844 phone the board scrolls sideways under a sticky symbol column", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page);
    await showPlanted(page);
    const scroller = page.getByRole("region", { name: /Price board/ });
    const symbolCell = row(page, "QFBCEIL").getByRole("rowheader");
    const before = await symbolCell.boundingBox();
    expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await scroller.evaluate((el) => el.scrollBy({ left: 400 }));
    await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(100);
    const after = await symbolCell.boundingBox();
    expect(after!.x).toBeCloseTo(before!.x, 0);
    // The page itself does not scroll sideways: only the table does.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // The floor column scrolled into view, still in its colour.
    await expect(row(page, "QFBCEIL").locator("td").last()).toBeInViewport();
  });
});

test("the top strip shows VN-Index, VN30 and HNX-Index", async ({ page }) => {
  await signIn(page, undefined, undefined, "/workflows");
  const strip = page.getByRole("region", { name: "Market snapshot" });
  await expect(strip).toContainText(/VN-Index\s*[\d,]+\.\d{2}/);
  await expect(strip).toContainText(/VN30\s*[\d,]+\.\d{2}\s*[+-]?\d+\.\d{2}%/);
  await expect(strip).toContainText(/HNX-Index\s*[\d,]+\.\d{2}\s*[+-]?\d+\.\d{2}%/);
});
