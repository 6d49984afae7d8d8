import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations, frNumber, sql, waitForHydration } from "./support";

test.describe("the edition home page", () => {
  test("shows the current edition in French with the DSFR header and live counters", async ({ page }) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await expect(page).toHaveTitle("Mois de l'innovation publique");
    await expect(page.locator("header.fr-header")).toContainText("Mois de l'innovation publique");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mois de l'innovation publique 2026");
    await expect(page.getByText("Thème de l'année")).toContainText("Coproduction");
    await expect(page.getByText("10e édition · du 2 au 30 novembre 2026")).toBeVisible();

    const events = Number(sql("SELECT count(*) FROM events WHERE edition_year = 2026 AND status = 'published'"));
    const structures = Number(
      sql("SELECT count(DISTINCT lower(structure_name)) FROM events WHERE edition_year = 2026 AND status = 'published'"),
    );
    const regions = Number(
      sql("SELECT count(DISTINCT region_code) FROM events WHERE edition_year = 2026 AND status = 'published' AND region_code <> 'NAT'"),
    );
    expect(events).toBeGreaterThanOrEqual(300);
    await expect(page.locator('[data-counter="événement publié"]')).toHaveText(frNumber(events));
    await expect(page.locator('[data-counter="structure organisatrice"]')).toHaveText(frNumber(structures));
    await expect(page.locator('[data-counter="région"]')).toHaveText(frNumber(regions));
  });

  test("highlights upcoming events that open their page", async ({ page }, testInfo) => {
    await page.goto("/");
    await waitForHydration(page, testInfo.project.use.javaScriptEnabled !== false);
    const firstCard = page.locator(".fr-card").first();
    // Its text, not its rendering: a card off screen is skipped by the browser
    // (`content-visibility: auto`), and `innerText` of a skipped element may be empty.
    const title = ((await firstCard.locator(".fr-card__title").textContent()) ?? "").trim();
    await firstCard.locator(".fr-card__title a").click();
    await expect(page).toHaveURL(/\/evenements\//);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page).toHaveTitle(`${title} – Mois de l'innovation publique`);
  });

  test("has no accessibility violations (axe-core)", async ({ page }, testInfo) => {
    await page.goto("/");
    await waitForHydration(page, testInfo.project.use.javaScriptEnabled !== false);
    await expectNoAxeViolations(page, testInfo);
  });

  test("loads the fonts' French letters only, and the rest for a page that has one of them", async ({ page }) => {
    const fonts: string[] = [];
    page.on("request", (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith("/fonts/")) fonts.push(path);
    });
    await page.goto("/");
    await page.evaluate(() => document.fonts.ready);
    expect(fonts).toContain("/fonts/Marianne-Regular.woff2");
    expect(fonts.filter((f) => f.endsWith("-extra.woff2"))).toEqual([]);
    // « Łódź » typed in the search: the page shows a letter outside French.
    await page.goto("/programme?q=" + encodeURIComponent("Łódź"));
    await page.evaluate(() => document.fonts.ready);
    await expect.poll(() => fonts.filter((f) => f.endsWith("-extra.woff2"))).toContain("/fonts/Marianne-Regular-extra.woff2");
  });

  test("fits a phone screen without horizontal scrolling", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test("opens and closes the navigation menu on a phone, with or without JavaScript", async ({ page }) => {
    const { nav, menu } = await openAndCloseTheMenu(page);
    // A link of the menu leads to its page.
    await menu.click();
    await nav.getByRole("link", { name: "Programme", exact: true }).click();
    await expect(page).toHaveURL(/\/programme$/);
  });

  test("opens and closes the menu in a browser without popovers, by its script", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "the fallback is a script");
    // A browser without the popover API: no `popover` property, and (so that Chromium's own
    // popover cannot open it) no `popover` attribute on the menu.
    await page.addInitScript(() => {
      delete (HTMLElement.prototype as any).popover;
      document.addEventListener("DOMContentLoaded", () =>
        document.getElementById("menu-principal")?.removeAttribute("popover"),
      );
    });
    await openAndCloseTheMenu(page, { focusesClose: true });
    expect(await page.evaluate(() => document.getElementById("menu-principal")!.hasAttribute("popover"))).toBe(false);
  });

  test("shows the navigation in the header on a desktop", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/programme");
    const nav = page.getByRole("navigation", { name: "Menu principal" });
    await expect(nav).toBeVisible();
    await expect(nav.getByRole("link", { name: "Programme", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
  });
});

test.describe("pages that do not exist", () => {
  test("answer 404 with a French page", async ({ page }) => {
    const response = await page.goto("/cette-page-n-existe-pas");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page non trouvée");
    await expect(page).toHaveTitle("Page non trouvée – Mois de l'innovation publique");
  });

  test("an unpublished event is not shown", async ({ page }) => {
    const slug = sql("SELECT slug FROM events WHERE status = 'draft' ORDER BY id LIMIT 1");
    const response = await page.goto(`/evenements/${slug}`);
    expect(response?.status()).toBe(404);
  });
});

test.describe("an overseas event", () => {
  test("shows its local time with the Paris time beside it, without accessibility violations", async ({ page }, testInfo) => {
    const slug = sql(
      "SELECT slug FROM events WHERE edition_year = 2026 AND status = 'published' AND time_zone = 'America/Guadeloupe' AND mode <> 'en_ligne' ORDER BY id LIMIT 1",
    );
    await page.goto(`/evenements/${slug}`);
    await expect(page.getByText(/^Soit .* à Paris\.$/)).toBeVisible();
    await expect(page.getByText("Région : Guadeloupe")).toBeVisible();
    await expectNoAxeViolations(page, testInfo);
  });
});

/** On a phone's `/`: « Menu » opens the navigation, « Fermer » and Escape close it, each time
 * giving the focus back to « Menu » (`focusesClose`: opening moves the focus to « Fermer »). */
async function openAndCloseTheMenu(page: Page, { focusesClose = false } = {}) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Menu principal" });
  const menu = page.getByRole("button", { name: "Menu" });
  const close = page.getByRole("button", { name: "Fermer" });
  await expect(nav).toBeHidden();
  await menu.click();
  await expect(nav).toBeVisible();
  await expect(nav.getByRole("link", { name: "Programme", exact: true })).toBeVisible();
  if (focusesClose) await expect(close).toBeFocused();
  await close.click();
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();
  // Escape closes it too, as the DSFR's modal does.
  await menu.click();
  await expect(nav).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();
  return { nav, menu };
}
