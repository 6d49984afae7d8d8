import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, sql, sqlExec, waitForHydration } from "./support";

test.describe("an event page", () => {
  test("carries valid schema.org JSON-LD, OpenGraph tags and an agenda file", async ({ page, request }, testInfo) => {
    const [slug, title, mode] = sql(
      "SELECT slug || '|' || title || '|' || mode FROM events WHERE edition_year = 2026 AND status = 'published' AND mode = 'hybride' ORDER BY id LIMIT 1",
    ).split("|");
    await page.goto(`/evenements/${slug}`);
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}");
    expect(ld["@context"]).toBe("https://schema.org");
    expect(ld["@type"]).toBe("Event");
    expect(ld.name).toBe(title);
    expect(ld.eventAttendanceMode).toBe("https://schema.org/MixedEventAttendanceMode");
    expect(ld.eventStatus).toBe("https://schema.org/EventScheduled");
    expect(ld.startDate).toMatch(/^2026-11-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/);
    expect(ld.location.map((l: any) => l["@type"]).sort()).toEqual(["Place", "VirtualLocation"]);
    expect(ld.organizer["@type"]).toBe("Organization");
    expect(mode).toBe("hybride");
    await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", title);

    const ics = await request.get(`/evenements/${slug}/agenda.ics`);
    expect(ics.status()).toBe(200);
    const text = await ics.text();
    expect(text).toContain("BEGIN:VEVENT");
    expect(text).toContain(`UID:${slug}@mois-innovation-publique`.slice(0, 60));

    await waitForHydration(page, testInfo.project.use.javaScriptEnabled !== false);
    await expectNoAxeViolations(page, testInfo);

    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test.describe("« Mon programme »", () => {
  test("saves an event from its card on the programme, on a phone, without opening the event", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "saved in the browser's storage: needs JavaScript");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/programme");
    await waitForHydration(page, true);
    const card = page.locator(".mip-list .fr-card").first();
    const title = (await card.locator(".fr-card__title").innerText()).trim();
    // A real tap at the button's place: the card's link layer must not take it.
    await card.getByRole("button", { name: "Ajouter à mon programme" }).click();
    await expect(card.getByRole("button", { name: "Dans mon programme" })).toBeVisible();
    await expect(page).toHaveURL(/\/programme$/);
    await page.goto("/mon-programme");
    await waitForHydration(page, true);
    await expect(page.locator("#mon-programme-nombre")).toHaveText("1 événement");
    await expect(page.getByRole("link", { name: title })).toBeVisible();
  });

  test("follows what another tab saves or removes", async ({ page, context }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "saved in the browser's storage: needs JavaScript");
    await page.goto("/mon-programme");
    await waitForHydration(page, true);
    await expect(page.getByText("Votre programme est vide.")).toBeVisible();
    const other = await context.newPage();
    await other.goto("/programme");
    await waitForHydration(other, true);
    const card = other.locator(".mip-list .fr-card").first();
    const title = (await card.locator(".fr-card__title").innerText()).trim();
    await card.getByRole("button", { name: "Ajouter à mon programme" }).click();
    // The first tab was not reloaded: it hears the storage change.
    await expect(page.locator("#mon-programme-nombre")).toHaveText("1 événement");
    await expect(page.getByRole("link", { name: title })).toBeVisible();
    await page.getByRole("button", { name: /Retirer/ }).first().click();
    await expect(card.getByRole("button", { name: "Ajouter à mon programme" })).toBeVisible();
    await other.close();
  });

  test("keeps two saved events, lists them by day and exports them as .ics", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "saved in the browser's storage: needs JavaScript");
    const rows = sql(
      "SELECT slug || '|' || title FROM events WHERE edition_year = 2026 AND status = 'published' AND region_code = '04' ORDER BY starts_at LIMIT 2",
    ).split("\n").map((r) => r.split("|"));
    for (const [slug] of rows) {
      await page.goto(`/evenements/${slug}`);
      await waitForHydration(page, true);
      await page.getByRole("button", { name: "Ajouter à mon programme" }).click();
      await expect(page.getByRole("button", { name: "Dans mon programme" })).toBeVisible();
    }
    await page.goto("/mon-programme");
    await waitForHydration(page, true);
    await expect(page.locator("#mon-programme-nombre")).toHaveText("2 événements");
    for (const [, title] of rows) {
      await expect(page.getByRole("link", { name: title })).toBeVisible();
    }
    const download = page.getByRole("link", { name: "Exporter dans mon agenda (.ics)" });
    const href = (await download.getAttribute("href")) ?? "";
    const ics = await page.request.get(href);
    expect(ics.status()).toBe(200);
    const text = await ics.text();
    expect(text.match(/BEGIN:VEVENT/g)?.length).toBe(2);
    await expectNoAxeViolations(page, testInfo);

    // Still there after a reload; removing one leaves the other.
    await page.reload();
    await waitForHydration(page, true);
    await page.getByRole("button", { name: `Retirer « ${rows[0][1]} »` }).click();
    await expect(page.locator("#mon-programme-nombre")).toHaveText("1 événement");
  });

  test("an event page's button keeps the keyboard's focus and follows another tab", async ({ page, context }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "saved in the browser's storage: needs JavaScript");
    const [slug, title] = sql(
      "SELECT slug || '|' || title FROM events WHERE edition_year = 2026 AND status = 'published' ORDER BY id LIMIT 1",
    ).split("|");
    await page.goto(`/evenements/${slug}`);
    await waitForHydration(page, true);
    const save = page.getByRole("button", { name: "Ajouter à mon programme" });
    await expect(save).toHaveAttribute("aria-pressed", "false");
    await expect(save).toHaveAttribute("title", `Ajouter « ${title} » à mon programme`);
    await save.focus();
    await page.keyboard.press("Enter");
    const saved = page.getByRole("button", { name: "Dans mon programme" });
    await expect(saved).toHaveAttribute("aria-pressed", "true");
    await expect(saved).toBeFocused();
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem("mip.mon-programme.v1") ?? "[]").map((e: any) => e.slug))).toEqual([slug]);

    // The same event in another tab, removed there: this tab's button follows.
    const other = await context.newPage();
    await other.goto(`/evenements/${slug}`);
    await waitForHydration(other, true);
    await other.getByRole("button", { name: "Dans mon programme" }).click();
    await expect(other.getByRole("button", { name: "Ajouter à mon programme" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Ajouter à mon programme" })).toHaveAttribute("aria-pressed", "false");
    await other.close();
  });

  // Issue 25: saved before they changed, the events are brought up to date at the next online
  // visit: the new time of a moved one, « Annulé », « Retiré du programme ».
  test("brings the saved events up to date with the programme when online", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "« Mon programme » needs JavaScript");
    const rows = sql(
      "SELECT id || '|' || slug || '|' || title || '|' || starts_at || '|' || ends_at || '|' || status FROM events " +
        "WHERE edition_year = 2026 AND status = 'published' AND time_zone = 'Europe/Paris' ORDER BY id LIMIT 3",
    )
      .split("\n")
      .map((line) => line.split("|"));
    const [moved, cancelled, withdrawn] = rows;
    const saved = rows.map(([, slug, title]) => ({
      slug,
      title,
      start: "2026-11-10T09:00:00",
      end: "2026-11-10T10:00:00",
      place: "Paris (Île-de-France)",
      cancelled: false,
    }));
    await page.goto("/");
    await page.evaluate((list) => localStorage.setItem("mip.mon-programme.v1", JSON.stringify(list)), saved);
    const catalogueTag = async () => (await page.request.get("/api/v1/catalogue.json")).headers()["etag"];
    const before = await catalogueTag();
    sqlExec(
      `UPDATE events SET starts_at = '2026-11-20T09:00:00Z', ends_at = '2026-11-20T10:30:00Z', version = version + 1 WHERE id = ${moved[0]};
       UPDATE events SET status = 'cancelled', version = version + 1 WHERE id = ${cancelled[0]};
       UPDATE events SET status = 'draft', version = version + 1 WHERE id = ${withdrawn[0]};`,
    );
    // Written behind the server's back: its page cache trusts the data version it read for
    // half a second (server/src/page_cache.rs, VERSION_RECHECK). The release build hydrated
    // and fetched the catalogue within it, and was served the one before the writes.
    await expect
      .poll(catalogueTag, { message: "the server sees the writes made behind its back" })
      .not.toBe(before);
    try {
      await page.goto("/mon-programme");
      await waitForHydration(page, true);
      const item = (title: string) => page.locator(".mip-saved", { hasText: title });
      await expect(item(moved[2])).toContainText(/20 novembre 2026, 10\sh\s00/);
      await expect(item(cancelled[2]).locator(".fr-badge")).toHaveText("Annulé");
      await expect(item(withdrawn[2]).locator("[data-withdrawn]")).toHaveText("Retiré du programme");
      // Stored so: offline, the list says the same.
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("mip.mon-programme.v1")!));
      expect(stored.find((e: any) => e.slug === moved[1]).start).toBe("2026-11-20T10:00:00");
      expect(stored.find((e: any) => e.slug === withdrawn[1]).withdrawn).toBe(true);
    } finally {
      sqlExec(
        `UPDATE events SET starts_at = '${moved[3]}', ends_at = '${moved[4]}', version = version + 1 WHERE id = ${moved[0]};
         UPDATE events SET status = 'published', version = version + 1 WHERE id IN (${cancelled[0]}, ${withdrawn[0]});`,
      );
    }
  });

  test("explains itself without JavaScript", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled !== false, "the no-JavaScript message");
    await page.goto("/mon-programme");
    await expect(page.getByText("activez JavaScript")).toBeVisible();
  });
});
