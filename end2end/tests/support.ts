import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, type TestInfo } from "@playwright/test";

/** The database of the server under test (see start-server.sh). */
/** The database of a run on another port (`E2E_PORT`, see playwright.config.ts). */
const dbSuffix = process.env.E2E_PORT && process.env.E2E_PORT !== "3100" ? `-${process.env.E2E_PORT}` : "";
const database = path.resolve(__dirname, `../.e2e-db${dbSuffix}/e2e.sqlite`);

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
    /** The second factor's secret of a staff account (base32), as the server printed it. */
    get totpSecret(): string | undefined {
      const file = path.resolve(__dirname, `../.e2e-db${dbSuffix}/demo-accounts.json`);
      const accounts: { email: string; totp_secret?: string }[] = JSON.parse(readFileSync(file, "utf8"));
      return accounts.find((a) => a.email === email)?.totp_secret;
    },
    get password(): string {
      const file = path.resolve(__dirname, `../.e2e-db${dbSuffix}/demo-accounts.json`);
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
    // Bounded, so that a page that never hydrates (a chunk missing offline) fails here, named,
    // rather than at the test's timeout.
    await page.waitForFunction(() => (window as any).__mipHydrated === true, undefined, { timeout: 30_000 });
  }
}

/** Runs a statement on the server's database (test set-up only). */
export function sqlExec(statement: string): void {
  execFileSync("sqlite3", [database, statement], { encoding: "utf8" });
  // Written behind the server's back: its cache of public pages trusts the data version it
  // read last for half a second (server/src/page_cache.rs, VERSION_RECHECK = 500 ms). That
  // read came before this write, so from 0.5 s on every request sees the new data. Without
  // the wait, a fast page load (the release build) was served the page from before.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, PAGE_CACHE_TRUST_MS + 100);
}

/** `VERSION_RECHECK` in server/src/page_cache.rs. */
const PAGE_CACHE_TRUST_MS = 500;

/** The server's fixed "now" in the tests (MIP_NOW in start-server.sh). */
const SERVER_NOW = Date.parse("2026-11-10T08:00:00Z") / 1000;

/** RFC 6238: the 6-digit code of a base32 secret for a 30-second step (HMAC-SHA1). */
export function totpCode(secret: string, step: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, "0");
}

/**
 * Signs in through the sign-in page and lands on the dashboard. A staff account then types
 * its second factor: the code of the step after the last one the server accepted (a code is
 * accepted once, and the server's clock stands still in the tests).
 */
export async function signIn(page: Page, email: string, password: string, javaScriptEnabled = true) {
  await page.goto("/connexion");
  await waitForHydration(page, javaScriptEnabled);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(/\/organisateur$|\/connexion\/code/);
  if (page.url().includes("/connexion/code")) {
    const account = [demoAccount("moderator"), demoAccount("admin")].find((a) => a.email === email)!;
    const last = sql(`SELECT coalesce(totp_last_step, -1) FROM accounts WHERE email = '${email}'`);
    const step = Math.max(Math.floor(SERVER_NOW / 30) - 1, Number(last) + 1);
    await waitForHydration(page, javaScriptEnabled);
    await page.fill("#code", totpCode(account.totpSecret!, step));
    await page.getByRole("button", { name: "Valider" }).click();
    await page.waitForURL(/\/moderation$|\/organisateur$/);
    await page.goto("/organisateur");
  }
  await expect(page.getByRole("heading", { level: 1, name: "Espace organisateur" })).toBeVisible();
}

/**
 * Signs a staff account in (password, then the second factor) and gives the second factor's
 * step back afterwards: the server's clock stands still in the tests, so each spec that signs
 * staff in must leave the steps it used for the next (see `signIn`).
 */
export async function signInStaff(page: Page, role: "moderator" | "admin", javaScriptEnabled = true) {
  const account = demoAccount(role);
  const last = sql(`SELECT coalesce(totp_last_step, 'NULL') FROM accounts WHERE email = '${account.email}'`);
  try {
    await signIn(page, account.email, account.password, javaScriptEnabled);
  } finally {
    sqlExec(`UPDATE accounts SET totp_last_step = ${last} WHERE email = '${account.email}'`);
  }
}

/** What the caches hold: each cache's name with the paths (and queries) of its entries. */
export function cached(page: Page) {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      out[name] = (await (await caches.open(name)).keys()).map((r) => {
        const url = new URL(r.url);
        return url.pathname + url.search;
      });
    }
    return out;
  });
}

/**
 * Signs the organizer in, opens the dashboard and waits until the offline copy can open its
 * forms: the private copy holds the dashboard and the new-event form, the shared copy the
 * form's wasm chunk (without it a form opened offline never hydrates).
 */
export async function openDashboardUntilKept(page: Page, account = demoAccount("organizer")) {
  await signIn(page, account.email, account.password);
  await page.goto("/organisateur");
  await waitForHydration(page, true);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect
    .poll(async () => {
      const caches = await cached(page);
      const own = caches["mip-private"] || [];
      const shared = Object.entries(caches).find(([name]) => name.startsWith("mip-offline-"))?.[1] || [];
      return (
        own.includes("/organisateur") &&
        own.includes("/organisateur/evenements/nouveau") &&
        shared.some((path) => path.includes("split_event_form_loader"))
      );
    }, { timeout: 30_000 })
    .toBe(true);
}
