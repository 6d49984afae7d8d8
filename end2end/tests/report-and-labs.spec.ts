import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, frNumber, sql, waitForHydration } from "./support";

test("the edition report shows the database's figures, as charts with their data", async ({ page, request }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  await page.goto("/editions/2025/bilan");
  await waitForHydration(page, js);
  const events = Number(sql("SELECT count(*) FROM events WHERE edition_year = 2025 AND status = 'published'"));
  await expect(page.locator('[data-figure="events"]')).toHaveText(frNumber(events));
  await expect(page.locator('svg[role="img"]')).toHaveCount(7);
  await expect(page.locator("details summary").first()).toHaveText("Données du graphique");
  await expectNoAxeViolations(page, testInfo);
  const csv = await request.get("/editions/2025/bilan.csv");
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(`total,événements publiés,${events}`);
});

test("the atlas of labs filters by region and opens a lab", async ({ page }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  await page.goto("/labs");
  await waitForHydration(page, js);
  const total = Number(sql("SELECT count(*) FROM labs"));
  await expect(page.locator("[data-lab]")).toHaveCount(total);
  await expectNoAxeViolations(page, testInfo);
  await page.selectOption("#region", "53");
  await page.getByRole("button", { name: "Filtrer" }).click();
  await page.waitForURL(/region=53/);
  const inBretagne = Number(sql("SELECT count(*) FROM labs WHERE region_code = '53'"));
  await expect(page.locator("[data-lab]")).toHaveCount(inBretagne);
  await page.locator("[data-lab] a").first().click();
  await expect(page.getByText("Structure porteuse")).toBeVisible();

  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
