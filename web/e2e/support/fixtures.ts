import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { screenshotDir } from "./env";

/** The two widths every check looks at: a laptop's and a phone's. */
export const wide = { width: 1280, height: 800 };
export const narrow = { width: 390, height: 844 };

/** ConsoleErrors lets a test say which console errors it expects. */
export type ConsoleErrors = {
  /** allow accepts the console errors that match pattern from now on,
   * such as the browser's note of a 401 that the test brings about. */
  allow: (pattern: RegExp) => void;
};

/**
 * test is Playwright's, with a page that records every console error and
 * uncaught page error while the test runs; the test fails if there was
 * any that it did not allow with consoleErrors.allow.
 */
export const test = base.extend<{ consoleErrors: ConsoleErrors }>({
  consoleErrors: async ({}, use) => {
    await use({ allow: () => {} });
  },
  page: async ({ page, consoleErrors }, use) => {
    const problems: string[] = [];
    const allowed: RegExp[] = [];
    consoleErrors.allow = (pattern) => allowed.push(pattern);
    page.on("console", (message) => {
      if (message.type() !== "error") {
        return;
      }
      const { url, lineNumber } = message.location();
      const text = `${message.text()}${url ? ` (${url}:${lineNumber})` : ""}`;
      if (!allowed.some((pattern) => pattern.test(text))) {
        problems.push(`console error on ${page.url()}: ${text}`);
      }
    });
    page.on("pageerror", (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
    await use(page);
    expect(problems, "console errors and page errors during the run").toEqual([]);
  },
});

export { expect };

let shots = 0;

/**
 * look checks what the page shows once it has settled (the caller has
 * waited for what it expects, and no loading state is left): the
 * accessibility basics, then a full-page screenshot at 1280 px under
 * test-results/screenshots/, named after the step. With alsoNarrow it does
 * both again at 390 px.
 */
export async function look(page: Page, name: string, { alsoNarrow = false } = {}): Promise<void> {
  await expect(page.getByRole("status").filter({ hasText: /…\s*$/ }), `${name}: still loading`).toHaveCount(0);
  shots += 1;
  const base = `${String(shots).padStart(2, "0")}-${name}`;
  await checkAccessibility(page, `${name} at ${wide.width} px`);
  await page.screenshot({ path: path.join(screenshotDir, `${base}-${wide.width}.png`), fullPage: true });
  if (alsoNarrow) {
    await page.setViewportSize(narrow);
    await checkAccessibility(page, `${name} at ${narrow.width} px`);
    await page.screenshot({ path: path.join(screenshotDir, `${base}-${narrow.width}.png`), fullPage: true });
    await page.setViewportSize(wide);
  }
}

/**
 * checkAccessibility fails the test if a form control the page shows has
 * no label (a <label> tied to it, aria-label or aria-labelledby), or a
 * button or link it shows has no accessible name.
 */
export async function checkAccessibility(page: Page, where: string): Promise<void> {
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    const snippet = (el: Element) => el.outerHTML.slice(0, 160);
    const shown = (el: Element) =>
      el.checkVisibility({ visibilityProperty: true }) && el.closest('[aria-hidden="true"], [inert]') === null;
    const text = (el: Element | null) => (el?.textContent ?? "").trim() !== "";
    for (const el of document.querySelectorAll("input, select, textarea")) {
      if (!shown(el)) {
        continue;
      }
      if (el instanceof HTMLInputElement && ["hidden", "submit", "button", "reset", "image"].includes(el.type)) {
        continue;
      }
      const control = el as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
      const byLabel = Array.from(control.labels ?? []).some(text);
      const byAriaLabel = (el.getAttribute("aria-label") ?? "").trim() !== "";
      const byLabelledBy = (el.getAttribute("aria-labelledby") ?? "")
        .split(/\s+/)
        .filter(Boolean)
        .some((id) => text(document.getElementById(id)));
      if (!byLabel && !byAriaLabel && !byLabelledBy) {
        found.push(`a form control without a label: ${snippet(el)}`);
      }
    }
    return found;
  });
  for (const role of ["button", "link"] as const) {
    for (const element of await page.getByRole(role).all()) {
      try {
        await expect(element).toHaveAccessibleName(/\S/, { timeout: 1_000 });
      } catch {
        const html = await element.evaluate((el) => el.outerHTML.slice(0, 160)).catch(() => "(gone)");
        problems.push(`a ${role} without an accessible name: ${html}`);
      }
    }
  }
  expect(problems, `accessibility problems on ${where}`).toEqual([]);
}
