import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations, frNumber, sql, sqlExec, waitForHydration } from "./support";

const PUBLIC_2026 = "edition_year = 2026 AND status IN ('published', 'cancelled')";
const WITH_COPRODUCTION =
  "EXISTS (SELECT 1 FROM event_themes et JOIN themes t ON t.id = et.theme_id WHERE et.event_id = events.id AND t.slug = 'coproduction')";
// Region 84 is on Paris time, UTC+1 in November.
const IN_DATES = "date(datetime(ends_at, '+1 hour')) >= '2026-11-02' AND date(datetime(starts_at, '+1 hour')) <= '2026-11-15'";

function count(where: string): number {
  return Number(sql(`SELECT count(*) FROM events WHERE ${PUBLIC_2026} AND ${where}`));
}

function countText(n: number, total: number): string {
  return `${frNumber(n)} ${n < 2 ? "événement" : "événements"} sur ${frNumber(total)}`;
}

/** Applies the form: live with JavaScript, by the « Appliquer » button without. */
async function apply(page: Page, js: boolean) {
  if (!js) await page.getByRole("button", { name: "Appliquer les filtres" }).click();
}

/** The list shows cards, every one of them naming `organizer`. */
async function expectOnlyCardsOf(page: Page, organizer: string) {
  const cards = page.locator(".mip-list .fr-card");
  await expect(cards.first()).toBeVisible();
  for (const text of await cards.allInnerTexts()) {
    expect(text).toContain(organizer);
  }
}

/**
 * The keys that type `iso` (YYYY-MM-DD) into a date field of this browser: its segments' order
 * is the browser's, not the page's (a French Chromium shows JJ/MM/AAAA; the headless one of the
 * tests MM/DD/YYYY whatever the locale), so it is read from a field typed once.
 */
async function dateKeys(page: Page, iso: string): Promise<string> {
  const probe = await page.context().newPage();
  try {
    await probe.setContent('<input type="date" id="d" aria-label="d">');
    await probe.locator("#d").focus();
    await probe.keyboard.type("01022026");
    const [y, m, d] = iso.split("-");
    const order = await probe.locator("#d").inputValue();
    if (order === "2026-02-01") return d + m + y;
    if (order === "2026-01-02") return m + d + y;
    throw new Error(`unknown order of a date field's segments: ${order}`);
  } finally {
    await probe.close();
  }
}

test.describe("the programme", () => {
  test("filters by theme, region and dates; the URL follows; reload and back keep them", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    const total = count("1");
    await page.goto("/programme");
    await waitForHydration(page, js);
    const results = page.locator("#nombre-resultats");
    await expect(results).toHaveText(`${frNumber(total)} événements`);

    await page.locator("summary", { hasText: "Thèmes" }).click();
    await page.locator('label[for="theme-coproduction"]').click();
    await apply(page, js);
    await expect(page).toHaveURL(/\/programme\?theme=coproduction$/);
    await expect(results).toHaveText(countText(count(WITH_COPRODUCTION), total));

    await page.locator("summary", { hasText: "Régions" }).click();
    await page.locator('label[for="region-84"]').click();
    await apply(page, js);
    await expect(page).toHaveURL(/theme=coproduction&region=84$/);
    const themeAndRegion = count(`${WITH_COPRODUCTION} AND region_code = '84'`);
    await expect(results).toHaveText(countText(themeAndRegion, total));

    await page.getByLabel("Du", { exact: true }).fill("2026-11-02");
    // Live, the URL follows a click after the frame: changes made within one frame (only a
    // script is that fast) are one history entry; a person's two steps are two.
    if (js) await expect(page).toHaveURL(/theme=coproduction&region=84&du=2026-11-02$/);
    await page.getByLabel("Au", { exact: true }).fill("2026-11-15");
    await apply(page, js);
    await expect(page).toHaveURL(/theme=coproduction&region=84&du=2026-11-02&au=2026-11-15$/);
    const all = count(`${WITH_COPRODUCTION} AND region_code = '84' AND ${IN_DATES}`);
    await expect(results).toHaveText(countText(all, total));
    await expect(page.locator(".mip-list .fr-card")).toHaveCount(Math.min(all, 20));
    await expect(page.getByRole("link", { name: "Retirer le filtre Coproduction" })).toBeVisible();

    await page.reload();
    await waitForHydration(page, js);
    await expect(results).toHaveText(countText(all, total));
    await expect(page.locator(".mip-list .fr-card")).toHaveCount(Math.min(all, 20));

    await page.goBack();
    if (js) {
      // Live, each date was its own step.
      await expect(page).toHaveURL(/theme=coproduction&region=84&du=2026-11-02$/);
      await page.goBack();
    }
    await expect(page).toHaveURL(/theme=coproduction&region=84$/);
    await expect(results).toHaveText(countText(themeAndRegion, total));
  });

  test("a date typed digit by digit applies once complete, never a partial one; crossed dates say so", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    const total = count("1");
    const results = page.locator("#nombre-resultats");
    const from = page.getByLabel("Du", { exact: true });
    const to = page.getByLabel("Au", { exact: true });
    const dateTags = page.locator(".mip-active-filters .fr-tag", { hasText: /^(Le |Du |À partir du |Jusqu'au )/ });
    const messages = page.locator("#dates-messages");
    /** The count the server writes for a URL (the reference the live page must agree with). */
    const serverCount = async (url: string) =>
      (/id="nombre-resultats">([^<]+)</.exec(await (await page.request.get(url)).text()) ?? [])[1];
    /** Leaves the page time to act on a keystroke (filter, frame, URL), so that a wrong change shows. */
    const settle = () =>
      page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 80)))));
    /** Types a date as a person does, one key at a time in the field's own order of
     * segments; with JavaScript, `untilLast` checks that nothing changed before the last one. */
    const typeDate = async (field: typeof from, iso: string, untilLast: () => Promise<void>) => {
      const digits = await dateKeys(page, iso);
      await field.focus();
      for (const [i, key] of [...digits].entries()) {
        await page.keyboard.type(key);
        if (js && i < digits.length - 1) {
          await settle();
          await untilLast();
        }
      }
    };

    await page.goto("/programme");
    await waitForHydration(page, js);
    await expect(results).toHaveText(`${frNumber(total)} événements`);
    await typeDate(from, "2026-11-24", async () => {
      expect(new URL(page.url()).search).toBe("");
      await expect(results).toHaveText(`${frNumber(total)} événements`);
      await expect(dateTags).toHaveCount(0);
    });
    await apply(page, js);
    await expect(page).toHaveURL(/\/programme\?du=2026-11-24$/);
    await expect(results).toHaveText((await serverCount("/programme?du=2026-11-24"))!);
    await expect(results).not.toHaveText(`${frNumber(total)} événements sur ${frNumber(total)}`);
    await expect(dateTags).toHaveText(["À partir du 24 novembre 2026"]);
    await expect(from).toHaveValue("2026-11-24");

    // « Au » before « Du »: a message beside the fields, the dates kept as typed, no range
    // applied (rather than swapped).
    const afterFrom = await results.innerText();
    await typeDate(to, "2026-11-10", async () => {
      expect(new URL(page.url()).search).toBe("?du=2026-11-24");
      await expect(results).toHaveText(afterFrom);
      await expect(messages).toHaveText("");
    });
    await apply(page, js);
    await expect(page).toHaveURL(/\/programme\?du=2026-11-24&au=2026-11-10$/);
    await expect(messages).toContainText("« Du » (24 novembre 2026) est après « Au » (10 novembre 2026)");
    await expect(from).toHaveAttribute("aria-describedby", "dates-messages");
    await expect(to).toHaveAttribute("aria-describedby", "dates-messages");
    await expect(to).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("fieldset.mip-dates")).toHaveClass(/fr-fieldset--error/);
    await expect(from).toHaveValue("2026-11-24");
    await expect(to).toHaveValue("2026-11-10");
    await expect(dateTags).toHaveCount(0);
    await expect(results).toHaveText(`${frNumber(total)} événements`);
    await expectNoAxeViolations(page, testInfo);

    // Put right: the message goes, the range applies.
    await to.fill("2026-11-30");
    await apply(page, js);
    await expect(page).toHaveURL(/\/programme\?du=2026-11-24&au=2026-11-30$/);
    await expect(messages).toHaveText("");
    await expect(to).not.toHaveAttribute("aria-invalid", "true");
    await expect(dateTags).toHaveText(["Du 24 novembre 2026 au 30 novembre 2026"]);
    await expect(results).toHaveText((await serverCount("/programme?du=2026-11-24&au=2026-11-30"))!);
  });

  test("a partial or impossible date in the URL is ignored, never an error", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    const total = count("1");
    // A date left half typed (« 24/11/202 »: year 0202) and sent.
    await page.goto("/programme");
    await waitForHydration(page, js);
    const from = page.getByLabel("Du", { exact: true });
    await from.focus();
    await page.keyboard.type((await dateKeys(page, "2026-11-24")).slice(0, -1));
    await apply(page, js);
    await expect(page.locator("#nombre-resultats")).toHaveText(`${frNumber(total)} événements`);
    await expect(page.locator(".mip-active-filters")).toHaveCount(0);
    if (js) expect(new URL(page.url()).search).toBe("");
    // What a field half typed gives: year 2 (« 24/11/2 »), year 0, or no year yet.
    for (const query of ["du=0002-11-24", "au=0000-11-24", "du=2026-11-2", "du=24%2F11%2F2026", "du=2026-02-30&au=9999-12-31"]) {
      const response = await page.goto(`/programme?${query}`);
      expect(response?.status(), query).toBe(200);
      await waitForHydration(page, js);
      await expect(page.locator("#nombre-resultats"), query).toHaveText(`${frNumber(total)} événements`);
      await expect(page.locator(".mip-active-filters"), query).toHaveCount(0);
      await expect(page.getByLabel("Du", { exact: true }), query).toHaveValue("");
      await expect(page.getByLabel("Au", { exact: true }), query).toHaveValue("");
    }
  });

  test("free text is accent-insensitive and live once hydrated", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    await page.goto("/programme");
    await waitForHydration(page, js);
    await page.getByLabel(/^Rechercher/).fill("prefecture guadeloupe");
    if (js) {
      // No page load: the marker of this page's hydration is still there.
      await expect(page).toHaveURL(/q=prefecture\+guadeloupe/);
      expect(await page.evaluate(() => (window as any).__mipHydrated)).toBe(true);
    } else {
      await page.getByLabel(/^Rechercher/).press("Enter");
      await expect(page).toHaveURL(/q=prefecture\+guadeloupe/);
    }
    await expectOnlyCardsOf(page, "Préfecture – Guadeloupe");
  });

  test("the catalogue comes apart from the page, cached for good, and a page opened from a link uses the same one", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "the catalogue feeds the browser's own filtering");
    const catalogues: { url: string; cacheControl: string }[] = [];
    page.on("response", (response) => {
      if (response.url().includes("catalogue.json")) {
        catalogues.push({ url: new URL(response.url()).pathname + new URL(response.url()).search, cacheControl: response.headers()["cache-control"] ?? "" });
      }
    });
    // A page load: the page names one version of the catalogue, fetched before hydration.
    await page.goto("/programme");
    await waitForHydration(page, true);
    const named = await page.locator("[data-mip-catalogue]").getAttribute("data-mip-catalogue");
    expect(named).toMatch(/^\/api\/v1\/editions\/2026\/catalogue\.json\?v=\d+$/);
    expect(catalogues.map((c) => c.url)).toEqual([named]);
    expect(catalogues[0].cacheControl).toContain("immutable");

    // The programme opened from the home page's link names the same version (which the
    // browser has cached for good), and filters it.
    await page.goto("/");
    await waitForHydration(page, true);
    catalogues.length = 0;
    await page.locator("main").getByRole("link", { name: "Voir le programme" }).click();
    await expect(page).toHaveURL(/\/programme$/);
    await waitForHydration(page, true);
    await page.getByLabel(/^Rechercher/).fill("prefecture guadeloupe");
    await expect(page).toHaveURL(/q=prefecture\+guadeloupe/);
    await expectOnlyCardsOf(page, "Préfecture – Guadeloupe");
    expect(new Set(catalogues.map((c) => c.url))).toEqual(new Set([named]));
  });

  test("the calendar counts events per day and opens a day", async ({ page }) => {
    await page.goto("/programme?vue=calendrier");
    const day = page.getByRole("link", { name: /^mardi 10 novembre 2026 : / });
    await expect(day).toBeVisible();
    const label = (await day.getAttribute("aria-label")) ?? "";
    const n = Number(label.replace(/\D+/g, " ").trim().split(" ").pop());
    await day.click();
    await expect(page).toHaveURL(/du=2026-11-10&au=2026-11-10$/);
    await expect(page.locator("#nombre-resultats")).toContainText(`${n} `);
  });

  test("the calendar shows the days after the month that have events: an out-of-period event of 1–3 December", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    const slug = "hackathon-de-decembre";
    // A published event of 2026 copied to 1–3 December (Paris time), with its reason; taken
    // out again at the end, whatever happens.
    sqlExec(
      `INSERT INTO events (edition_year, organizer_id, slug, title, summary, format_id, mode, audience_id, structure_name, organizer_type_id, region_code, city, online_url, starts_at, ends_at, time_zone, out_of_period_reason, status, published_at, created_at, updated_at)
       SELECT edition_year, organizer_id, '${slug}', 'Hackathon de décembre', summary, format_id, mode, audience_id, structure_name, organizer_type_id, region_code, city, online_url, '2026-12-01T08:00:00Z', '2026-12-03T16:00:00Z', 'Europe/Paris', 'Trois jours pour finir le prototype', 'published', published_at, created_at, updated_at
       FROM events WHERE edition_year = 2026 AND status = 'published' AND time_zone = 'Europe/Paris' ORDER BY id LIMIT 1;
       INSERT INTO event_themes (event_id, theme_id) SELECT (SELECT id FROM events WHERE slug = '${slug}'), theme_id FROM event_themes
       WHERE event_id = (SELECT id FROM events WHERE edition_year = 2026 AND status = 'published' AND time_zone = 'Europe/Paris' ORDER BY id LIMIT 1);`,
    );
    try {
      await page.goto("/programme?vue=calendrier");
      await waitForHydration(page, js);
      await expect(page.locator(".mip-calendar caption")).toHaveText(/au 3 décembre 2026$/);
      for (const day of ["mardi 1er décembre 2026", "mercredi 2 décembre 2026", "jeudi 3 décembre 2026"]) {
        await expect(page.getByRole("link", { name: `${day} : 1 événement` })).toBeVisible();
      }
      await expect(page.getByRole("link", { name: /^vendredi 4 décembre 2026/ })).toHaveCount(0);
      await expect(page.locator(".mip-calendar__date", { hasText: "1 déc." })).toBeVisible();
      // The month's name beside a day fits a phone's calendar.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await page.setViewportSize({ width: 1280, height: 900 });
      // The date fields reach it too.
      await expect(page.getByLabel("Au", { exact: true })).toHaveAttribute("max", "2026-12-03");
      await page.getByRole("link", { name: /^jeudi 3 décembre 2026 : / }).click();
      await expect(page).toHaveURL(/\?du=2026-12-03&au=2026-12-03$/);
      await expect(page.locator(".mip-list .fr-card")).toHaveCount(1);
      await expect(page.locator(".mip-list .fr-card")).toContainText("Hackathon de décembre");
      await expectNoAxeViolations(page, testInfo);
    } finally {
      sqlExec(
        `DELETE FROM event_themes WHERE event_id = (SELECT id FROM events WHERE slug = '${slug}');
         DELETE FROM events WHERE slug = '${slug}';`,
      );
    }
  });

  test("the map shows counts per region and a click selects the region", async ({ page }, testInfo) => {
    await page.goto("/programme?vue=carte");
    await waitForHydration(page, testInfo.project.use.javaScriptEnabled !== false);
    const brittany = count("region_code = '53'");
    const region = page.getByRole("link", { name: `Bretagne : ${brittany} ${brittany < 2 ? "événement" : "événements"}` });
    await region.click();
    await expect(page).toHaveURL(/region=53&vue=carte$/);
    await expect(page.locator("#nombre-resultats")).toHaveText(countText(brittany, count("1")));
    await expectNoAxeViolations(page, testInfo);
  });

  test("keeps the keyboard's place: a region toggled on the map, the next events shown", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "live filtering needs JavaScript");
    await page.goto("/programme?vue=carte");
    await waitForHydration(page, true);
    const brittany = page.getByRole("link", { name: /^Bretagne : / });
    await brittany.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/region=53&vue=carte$/);
    // The map was written again; the focus is on Brittany still, and Enter takes it back out.
    await expect(page.locator(":focus")).toHaveAttribute("aria-label", /^Bretagne : /);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/programme\?vue=carte$/);
    await expect(page.locator(":focus")).toHaveAttribute("aria-label", /^Bretagne : /);

    await page.goto("/programme");
    await waitForHydration(page, true);
    const cards = page.locator(".mip-list .fr-card");
    await expect(cards).toHaveCount(20);
    await page.getByRole("button", { name: /^Afficher 20 de plus/ }).click();
    await expect(cards).toHaveCount(40);
    // The focus goes to the first of the new events.
    await expect(page.locator(":focus")).toHaveText(await cards.nth(20).locator(".fr-card__title a").innerText());
  });

  test("live, the cards below the screen and the form's counts follow the first frame: the page ends as the server writes it", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "live filtering needs JavaScript");
    // The list's days and cards, in order, as links and ids.
    const listed = (html: string) => [...html.matchAll(/id="(jour-[0-9-]+)"|class="fr-card__title"><a href="([^"]+)"/g)]
      .map((m) => m[1] ?? m[2]);
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      await page.goto("/programme");
      await waitForHydration(page, true);
      // On a phone, the filters are folded behind « Filtres ».
      if (viewport.width < 768) await page.locator("summary.mip-filters__toggle").click();
      await page.locator("summary", { hasText: "Thèmes" }).click();
      for (const [query, where] of [["theme=coproduction", WITH_COPRODUCTION], ["", "1"]] as const) {
        // Ticked, then unticked.
        await page.locator('label[for="theme-coproduction"]').click();
        const shown = Math.min(count(where), 20);
        // On the first frame, the cards that can be on screen; the others after it.
        await expect(page.locator(".mip-list .fr-card")).toHaveCount(shown);
        const server = await (await page.request.get(`/programme${query ? "?" + query : ""}`)).text();
        const view = await page.locator("#mip-vue").innerHTML();
        expect(listed(view)).toEqual(listed(server));
        expect(listed(view).filter((x) => !x.startsWith("jour-"))).toHaveLength(shown);
        // The form's counts follow in the same frame as those cards.
        const counts = (html: string) => [...html.matchAll(/class="mip-count[^"]*" aria-hidden="true">\((\d+)\)</g)].map((m) => m[1]);
        expect(counts(server).length).toBeGreaterThan(20);
        await expect.poll(async () => counts(await page.locator("form.mip-filters").innerHTML())).toEqual(counts(server));
        // « Afficher plus » once, at the end, if there are more.
        const more = count(where) > 20 ? 1 : 0;
        await expect(page.locator("#mip-vue [data-mip-plus]")).toHaveCount(more);
        await expect(page.locator("#mip-vue .mip-list > :last-child [data-mip-plus]")).toHaveCount(more);
      }
    }
  });

  test("has no accessibility violations (axe-core)", async ({ page }, testInfo) => {
    await page.goto("/programme?theme=coproduction");
    await waitForHydration(page, testInfo.project.use.javaScriptEnabled !== false);
    await expectNoAxeViolations(page, testInfo);
  });

  test("on a phone, shows the events first and the filters folded behind « Filtres »", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/programme?theme=coproduction");
    await waitForHydration(page, js);
    const toggle = page.locator("summary.mip-filters__toggle");
    await expect(toggle).toHaveText("Filtres (1 actif)");
    await expect(page.locator("#recherche")).toBeHidden();
    // The count and the first card are in the first screen.
    await expect(page.locator("#nombre-resultats")).toBeInViewport();
    await expect(page.locator(".mip-list .fr-card").first()).toBeInViewport({ ratio: 0.1 });
    await expectNoAxeViolations(page, testInfo);
    await toggle.click();
    await page.locator("#recherche").fill("atelier");
    await page.getByRole("button", { name: "Appliquer les filtres" }).click();
    await expect(page).toHaveURL(/[?&]q=atelier/);
    await expect(toggle).toHaveText("Filtres (2 actifs)");
    await expect(page.locator("#recherche")).toBeHidden();
    await expect(page.locator("#nombre-resultats")).toBeInViewport();
    // A wide screen never folds them.
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(toggle).toBeHidden();
    await expect(page.locator("#recherche")).toBeVisible();
    await expect(page.locator("#recherche")).toHaveValue("atelier");
  });

  test("fits a phone screen without horizontal scrolling", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const url of ["/programme", "/programme?vue=calendrier", "/programme?vue=carte"]) {
      await page.goto(url);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, url).toBeLessThanOrEqual(0);
    }
  });
});

test.describe("the editions", () => {
  test("search finds events of every year without accents, and past programmes open", async ({ page }, testInfo) => {
    await page.goto("/editions");
    await page.getByLabel("Rechercher un événement dans toutes les éditions").fill("prefecture");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect(page).toHaveURL(/\/editions\?q=prefecture$/);
    await expect(page.getByRole("heading", { level: 2, name: /résultats? pour « prefecture »/ })).toBeVisible();
    const years = await page.locator(".mip-card-list .fr-badge").allInnerTexts();
    expect(new Set(years).size).toBeGreaterThan(1);
    await expectNoAxeViolations(page, testInfo);

    await page.getByRole("link", { name: "Édition 2024" }).click();
    await expect(page).toHaveURL(/\/editions\/2024$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Programme 2024");
    const total = Number(sql("SELECT count(*) FROM events WHERE edition_year = 2024 AND status IN ('published', 'cancelled')"));
    await expect(page.locator("#nombre-resultats")).toHaveText(`${frNumber(total)} événements`);
  });
});

// Issue 29: the programme is usable before its catalogue arrives, at any size: its first cards
// are in the page, and its filters work as a plain form (the server filters), while the
// catalogue's request is held back.
test("the programme's first cards and its filters work while the catalogue is held back", async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "without JavaScript no catalogue is fetched");
  const held: Array<() => void> = [];
  await context.route(/\/catalogue\.json/, async (route) => {
    await new Promise<void>((resolve) => held.push(resolve));
    await route.continue().catch(() => {});
  });
  try {
    await page.goto("/programme", { waitUntil: "domcontentloaded" });
    await expect(page.locator(".fr-card")).toHaveCount(20);
    const total = await page.locator("#nombre-resultats").innerText();
    await expect.poll(() => held.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as any).__mipHydrated === true)).toBe(false);
    // A theme chosen and applied: the server's filtered page, the catalogue still held.
    // Its box is in the themes' closed disclosure.
    await page.locator("#theme-coproduction").evaluate((box) => (box as HTMLInputElement).click());
    await page.getByRole("button", { name: "Appliquer les filtres" }).click();
    await expect(page).toHaveURL(/theme=coproduction/);
    await expect(page.locator("#nombre-resultats")).not.toHaveText(total);
    await expect(page.locator(".fr-card").first()).toBeVisible();
    await expect(page.locator("#theme-coproduction")).toBeChecked();
  } finally {
    await context.unrouteAll({ behavior: "ignoreErrors" });
    for (const release of held) release();
  }
});
