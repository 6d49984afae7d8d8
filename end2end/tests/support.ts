import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, type TestInfo } from "@playwright/test";

/** The database of the server under test (see start-server.sh). */
const database = path.resolve(__dirname, "../.e2e-db/e2e.sqlite");

/**
 * A demo account, its password read when first used from the file the server wrote at
 * start-up (`--demo`: random passwords, kept beside the database, see start-server.sh).
 * Read lazily: test files are loaded before the server starts.
 */
export function demoAccount(role: "organizer" | "moderator" | "admin") {
  const email = {
    organizer: "organisatrice@example.org",
    moderator: "moderation@example.org",
    admin: "admin@example.org",
  }[role];
  return {
    email,
    get password(): string {
      const file = path.resolve(__dirname, "../.e2e-db/demo-accounts.json");
      const accounts: { role: string; email: string; password: string }[] = JSON.parse(
        readFileSync(file, "utf8"),
      );
      const account = accounts.find((a) => a.email === email);
      if (!account) throw new Error(`${email} is not in ${file}`);
      return account.password;
    },
  };
}

/** One value from the server's database, read with the sqlite3 CLI. */
export function sql(query: string): string {
  return execFileSync("sqlite3", ["-readonly", database, query], { encoding: "utf8" }).trim();
}

/** French number formatting as the site prints it (narrow no-break space). */
export function frNumber(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
}

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
}

/**
 * axe-core (WCAG 2.x A/AA rules, as RGAA requires) finds nothing on the current page.
 * axe runs as a script in the page: for the JavaScript-off project, the same URL is scanned
 * in a context where scripts run but the app's own JS and wasm are blocked, so what is
 * checked is exactly the server-rendered document.
 */
export async function expectNoAxeViolations(page: Page, testInfo: TestInfo) {
  if (testInfo.project.use.javaScriptEnabled === false) {
    const context = await page.context().browser()!.newContext({ javaScriptEnabled: true });
    try {
      const ssrPage = await context.newPage();
      await ssrPage.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
      await ssrPage.goto(page.url());
      expect(await axeViolations(ssrPage)).toEqual([]);
    } finally {
      await context.close();
    }
  } else {
    expect(await axeViolations(page)).toEqual([]);
  }
}

/** Waits until the wasm has hydrated the page (no-op when JavaScript is off). */
export async function waitForHydration(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) {
    await page.waitForFunction(() => (window as any).__mipHydrated === true);
  }
}

/** Runs a statement on the server's database (test set-up only). */
export function sqlExec(statement: string): void {
  execFileSync("sqlite3", [database, statement], { encoding: "utf8" });
}

/** Signs in through the sign-in page and lands on the dashboard. */
export async function signIn(page: Page, email: string, password: string, javaScriptEnabled = true) {
  await page.goto("/connexion");
  await waitForHydration(page, javaScriptEnabled);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(/\/organisateur$/);
  await expect(page.getByRole("heading", { level: 1, name: "Espace organisateur" })).toBeVisible();
}
