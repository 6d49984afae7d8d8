import { expect, test, type Page } from "@playwright/test";
import { demoAccount, signIn, sql, waitForHydration } from "./support";

// Every response carries a Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval'
// for scripts (server/src/security.rs): the pages' inline scripts are allowed by their
// hashes. Chromium enforces it here as it would for a visitor: no page may report a
// violation, and the app must still hydrate and filter.

/** Records every CSP violation the page reports, from before its first script. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as any).__cspViolations = (window as any).__cspViolations || [];
      (window as any).__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  return violations;
}

async function reported(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).__cspViolations || []);
}

test.describe("Content-Security-Policy enforced", () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, "the policy is about scripts");

  test("no page reports a violation; the app hydrates", async ({ page }) => {
    const slug = sql("SELECT slug FROM events WHERE status = 'published' AND edition_year = 2026 ORDER BY id LIMIT 1");
    const console = await watchViolations(page);
    for (const url of [
      "/",
      "/programme",
      `/evenements/${slug}`,
      "/mon-programme",
      "/labs",
      "/editions",
      "/editions/2026/bilan",
      "/connexion",
      "/inscription",
      "/accessibilite",
    ]) {
      const response = await page.goto(url);
      const policy = response!.headers()["content-security-policy"];
      expect(policy, url).toContain("frame-ancestors 'none'");
      expect(policy, url).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      await waitForHydration(page, true);
      expect(await reported(page), url).toEqual([]);
    }
    expect(console).toEqual([]);
  });

  test("the programme filters live under the policy", async ({ page }) => {
    const console = await watchViolations(page);
    await page.goto("/programme");
    await waitForHydration(page, true);
    await page.locator("summary", { hasText: "Thèmes" }).click();
    await page.locator('label[for="theme-coproduction"]').click();
    await expect(page).toHaveURL(/\/programme\?theme=coproduction$/);
    expect(await reported(page)).toEqual([]);
    expect(console).toEqual([]);
  });

  test("the organizer's pages run under the policy", async ({ page }) => {
    const console = await watchViolations(page);
    const organizer = demoAccount("organizer");
    await signIn(page, organizer.email, organizer.password);
    await page.goto("/organisateur/evenements/nouveau");
    await waitForHydration(page, true);
    expect(await reported(page)).toEqual([]);
    expect(console).toEqual([]);
  });
});
