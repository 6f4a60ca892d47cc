import { defineConfig, devices } from "@playwright/test";
import { E2E_FERNET_KEY, E2E_NEXTAUTH_SECRET } from "./e2e/support/secrets";

/**
 * End-to-end tests in Debian's Chromium (/usr/bin/chromium): Playwright cannot download its
 * own browsers on these machines. The app is started with `npm start` on a dedicated port
 * (3100) so a development server on 3000 is left alone. Set PLAYWRIGHT_BASE_URL to test a
 * server that is already running elsewhere; then no server is started.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const externalBaseURL = process.env.PLAYWRIGHT_BASE_URL;
const baseURL = externalBaseURL ?? `http://localhost:${PORT}`;
/**
 * The local stand-in for DNSE (test/dnse-stand-in.ts) at the app's DNSE_BASE_URL: the user service that
 * "Test connection" talks to and the chart history that "Load history from DNSE" reads.
 */
const DNSE_PORT = Number(process.env.E2E_DNSE_PORT ?? 3199);
/**
 * DNSE serves about 90 days of 1-minute history; e2e/charts/backfill.spec.ts loads two weeks older than
 * the demo's 60 trading days of minutes, so the stand-in and the app are told of a deeper history.
 */
const E2E_MINUTE_HISTORY_DAYS = 200;
/** The notification receivers (test/notification-receivers-server.ts): SMTP, and HTTP for webhooks. */
const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? PORT + 3);
const RECEIVER_PORT = Number(process.env.E2E_RECEIVER_PORT ?? PORT + 4);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  // CI shares two cores between the app, the database and two browsers: give each test room so that a
  // busy machine does not read as a failure (a real hang still fails).
  timeout: process.env.CI ? 60_000 : 30_000,
  expect: { timeout: process.env.CI ? 10_000 : 7_000 },
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    timezoneId: "Asia/Ho_Chi_Minh",
    locale: "en-GB",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1366, height: 820 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: externalBaseURL
    ? undefined
    : [
        {
          command: `npx tsx test/dnse-stand-in.ts --port ${DNSE_PORT} --minute-days ${E2E_MINUTE_HISTORY_DAYS}`,
          url: `http://127.0.0.1:${DNSE_PORT}/health`,
          reuseExistingServer: !process.env.CI,
          timeout: 60_000,
        },
        {
          command: `npx tsx test/notification-receivers-server.ts --smtp-port ${SMTP_PORT} --http-port ${RECEIVER_PORT}`,
          url: `http://127.0.0.1:${RECEIVER_PORT}/health`,
          reuseExistingServer: !process.env.CI,
          timeout: 60_000,
        },
        {
          command: "npm start",
          url: `${baseURL}/`,
          env: {
            PORT: String(PORT),
            NEXTAUTH_SECRET: E2E_NEXTAUTH_SECRET,
            FERNET_KEYS: E2E_FERNET_KEY,
            DNSE_BASE_URL: `http://127.0.0.1:${DNSE_PORT}`,
            DNSE_USER_SERVICE_URL: `http://127.0.0.1:${DNSE_PORT}/user-service`,
            DNSE_MINUTE_HISTORY_DAYS: String(E2E_MINUTE_HISTORY_DAYS),
            // The tests play the one trusted proxy: each sends its own X-Forwarded-For (support/auth.ts
            // testAddress), so the per-address throttles of parallel tests do not add up.
            QUANTFLOW_TRUSTED_PROXIES: "1",
            // Notifications reach the local receivers (e2e/notifications).
            SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
            QUANTFLOW_WEBHOOK_ALLOW: "127.0.0.1",
            QUANTFLOW_PUBLIC_URL: baseURL,
          },
          reuseExistingServer: !process.env.CI,
          // SIGTERM (not Playwright's default SIGKILL) lets `npm start` stop the web server and then
          // the embedded PostgreSQL it started, instead of leaving the database orphaned.
          gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
          // The first start may build the app and seed the demo data: give it time.
          timeout: 10 * 60_000,
          stdout: "pipe",
          stderr: "pipe",
        },
    ],
});
