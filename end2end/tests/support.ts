import { execFileSync } from "node:child_process";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The database of the server under test (see start-server.sh). */
const database = path.resolve(__dirname, "../.e2e-db/e2e.sqlite");

/** One value from the server's database, read with the sqlite3 CLI. */
export function sql(query: string): string {
  return execFileSync("sqlite3", ["-readonly", database, query], { encoding: "utf8" }).trim();
}

/** French number formatting as the site prints it (narrow no-break space). */
export function frNumber(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
}

/** axe-core (WCAG 2.x A/AA rules, as RGAA requires) finds nothing on the page. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary).toEqual([]);
}

/** Waits until the wasm has hydrated the page (no-op when JavaScript is off). */
export async function waitForHydration(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) {
    await page.waitForFunction(() => (window as any).__mipHydrated === true);
  }
}
