import { expect, test } from "@playwright/test";
import { demoAccount, expectNoAxeViolations, signIn, sql, waitForHydration } from "./support";

const ADMIN = demoAccount("admin");

test("an admin opens a new edition and the home page switches to it", async ({ page }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "checked once (it changes the current edition)");
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin");
  await waitForHydration(page, true);
  await expectNoAxeViolations(page, testInfo);
  await page.fill("#year", "2027");
  await page.fill("#ordinal", "11");
  await page.fill("#starts_on", "2027-11-02");
  await page.fill("#ends_on", "2027-11-30");
  await page.fill("#referencing_opens_on", "2027-09-01");
  await page.fill("#referencing_closes_on", "2027-10-29");
  // A new edition is not the current one by default (past editions are brought in too).
  await expect(page.locator("#is_current")).not.toBeChecked();
  await page.locator("#is_current").check({ force: true });
  await page.getByRole("button", { name: "Enregistrer l'édition" }).click();
  await page.waitForURL(/fait=edition-2027/);
  expect(sql("SELECT group_concat(year) FROM editions WHERE is_current = 1")).toBe("2027");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("2027");

  // Back to 2026 for the other tests: the same form, on the 2026 edition.
  await page.goto("/admin?annee=2026");
  await waitForHydration(page, true);
  await expect(page.locator("#year")).toHaveValue("2026");
  await page.locator("#is_current").check({ force: true });
  await page.getByRole("button", { name: "Enregistrer l'édition" }).click();
  await page.waitForURL(/fait=edition-2026/);
  expect(sql("SELECT group_concat(year) FROM editions WHERE is_current = 1")).toBe("2026");
});
