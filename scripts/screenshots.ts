/**
 * Screenshots of every page of the shell, in both themes, for people to look at (nothing is
 * asserted). Run against a running server:
 *   BASE_URL=http://localhost:3000 npx tsx scripts/screenshots.ts
 * Writes screenshots/<theme>-<name>.png (git-ignored).
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";

const BASE_URL = process.env.BASE_URL ?? "http://localhost:3000";
const OUT = path.resolve(process.env.SCREENSHOTS_DIR ?? "screenshots");

const PAGES: { name: string; path: string; act?: (page: Page) => Promise<void> }[] = [
  { name: "landing", path: "/" },
  { name: "charts", path: "/charts" },
  { name: "chart-HPG", path: "/charts/HPG" },
  { name: "workflows", path: "/workflows" },
  { name: "value-chain", path: "/value-chain" },
  { name: "portfolio", path: "/portfolio" },
  { name: "memory", path: "/memory" },
  { name: "settings", path: "/settings" },
  { name: "settings-broker", path: "/settings/broker" },
  { name: "settings-users", path: "/settings/users" },
  { name: "404", path: "/no-such-page" },
  { name: "not-a-symbol", path: "/charts/NOT-A-SYMBOL" },
  {
    name: "search-error",
    path: "/charts",
    act: async (page) => {
      await page.keyboard.press("/");
      await page.keyboard.type("VN-INDEX");
      await page.keyboard.press("Enter");
    },
  },
  {
    name: "rail-focus",
    path: "/workflows",
    act: async (page) => {
      for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
    },
  },
];

async function main() {
  await mkdir(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const viewports = [
    { suffix: "", viewport: { width: 1366, height: 820 } },
    { suffix: "-narrow", viewport: { width: 390, height: 844 } },
  ];
  for (const theme of ["dark", "light"] as const) {
    for (const { suffix, viewport } of viewports) {
      const context = await browser.newContext({ viewport, timezoneId: "Asia/Ho_Chi_Minh", locale: "en-GB" });
      await context.addInitScript((t) => localStorage.setItem("quantflow-theme", t), theme);
      const page = await context.newPage();
      for (const p of PAGES) {
        if (suffix && !["landing", "charts", "404"].includes(p.name)) continue;
        await page.goto(new URL(p.path, BASE_URL).toString(), { waitUntil: "networkidle" });
        if (p.act) await p.act(page);
        const file = path.join(OUT, `${theme}-${p.name}${suffix}.png`);
        await page.screenshot({ path: file, fullPage: p.name === "landing" });
        console.log(file);
      }
      await context.close();
    }
  }
  await browser.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
