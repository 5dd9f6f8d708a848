import { defineConfig, devices } from "@playwright/test";
import { adminURL, chromium, resultsDir } from "./e2e/support/env";

/**
 * The browser tests: headless Chromium against the real platform, which
 * e2e/support/global-setup.ts starts on ports of its own and stops at the
 * end. The browser is Debian's (make chromium installs it); Playwright
 * never downloads one (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 when installing).
 * The tests run one after another, and the whole run is bounded.
 */
export default defineConfig({
  testDir: "./e2e",
  outputDir: `${resultsDir}/playwright`,
  globalSetup: "./e2e/support/global-setup.ts",
  globalTimeout: 10 * 60_000,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: adminURL,
    viewport: { width: 1280, height: 800 },
    headless: true,
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      // The machine's network is closed and the tests may run as root.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium" }],
});
