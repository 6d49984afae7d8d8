import { expect, test, type Page } from "@playwright/test";
import { sql, sqlExec, waitForHydration } from "./support";

// The offline copy (service worker, server/src/sw.js): after one visit, the programme (its
// filters included), the event pages seen or saved and « Mon programme » open without a network,
// any other event of the programme in short (from the kept catalogue); a page never seen says
// so in French; personal pages are never kept.

// Waits until the offline copy holds these pages and files whose names contain these parts.
async function waitForOfflineCopy(page: Page, paths: string[], parts: string[]) {
  const holds = () =>
    page.evaluate(async ([paths, parts]) => {
      const name = (await caches.keys()).find((name) => name.startsWith("mip-offline-"));
      if (!name) return false;
      const cache = await caches.open(name);
      for (const path of paths) if (!(await cache.match(path))) return false;
      const kept = (await cache.keys()).map((request) => request.url);
      return parts.every((part) => kept.some((url) => url.includes(part)));
    }, [paths, parts] as const);
  await expect.poll(holds, { timeout: 20_000 }).toBe(true);
}

// The first page ever, `/programme`: loaded before the worker runs, it hands its files to the
// worker. Waits until the page, its wasm and the catalogue it filters are kept; gives the
// programme's count.
async function openProgrammeUntilKept(page: Page): Promise<string> {
  await page.goto("/programme");
  await waitForHydration(page, true);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await waitForOfflineCopy(page, ["/programme"], ["/catalogue.json?v=", "split_programme_loader"]);
  return page.locator("#nombre-resultats").innerText();
}

test("after one visit the programme, an event seen and « Mon programme » open offline", async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "a service worker needs JavaScript");

  const total = await openProgrammeUntilKept(page);
  // Another event of the programme, whose page is never opened.
  const unseenCard = page.locator(".fr-card").nth(1);
  const unseen = {
    href: (await unseenCard.locator(".fr-card__title a").getAttribute("href"))!,
    title: (await unseenCard.locator(".fr-card__title a").innerText()).trim(),
    when: (await unseenCard.locator(".fr-icon-calendar-line").innerText()).trim(),
    place: (await unseenCard.locator(".fr-icon-map-pin-2-line").innerText()).trim(),
  };

  // An event page seen (the worker now keeps pages as they are opened), saved to « Mon programme ».
  const event = (await page.locator(".fr-card__title a").first().getAttribute("href"))!;
  const title = (await page.locator(".fr-card__title a").first().innerText()).trim();
  await page.goto(event);
  await waitForHydration(page, true);
  await page.getByRole("button", { name: "Ajouter à mon programme" }).first().click();
  await expect(page.getByRole("button", { name: "Dans mon programme" }).first()).toBeVisible();
  // Saving asks the worker to keep « Mon programme » (never opened online here).
  await waitForOfflineCopy(page, [event, "/mon-programme"], ["split_my_programme_loader"]);

  await context.setOffline(true);
  try {
    // The programme, hydrated from the copy, filters live from its kept catalogue.
    await page.goto("/programme");
    await waitForHydration(page, true);
    await expect(page.locator("#nombre-resultats")).toHaveText(total);
    await page.getByLabel(/^Rechercher/).fill(title);
    await expect(page.locator("#nombre-resultats")).not.toHaveText(total);
    await expect(page.locator(".fr-card__title a", { hasText: title }).first()).toBeVisible();

    await page.goto(event);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

    await page.goto("/mon-programme");
    await waitForHydration(page, true);
    await expect(page.getByRole("link", { name: title })).toBeVisible();

    // An event page never opened: its essentials, from the kept catalogue, dated as its card.
    expect(unseen.href).not.toBe(event);
    const abridged = await page.goto(unseen.href);
    expect(abridged?.status()).toBe(200);
    await expect(page.locator("#version-hors-connexion")).toContainText("Vous êtes hors connexion");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(unseen.title);
    await expect(page.locator("dd", { hasText: unseen.when })).toHaveCount(1);
    await expect(page.locator("dd", { hasText: unseen.place })).toHaveCount(1);

    // A page never opened: a French message, not the browser's error.
    const response = await page.goto("/evenements/jamais-consultee");
    expect(response?.status()).toBe(503);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes hors connexion");

    // Personal pages are kept only for their account (the organizer's, once signed in): a
    // visitor gets the French notice.
    const personal = await page.goto("/organisateur");
    expect(personal?.status()).toBe(503);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes hors connexion");
  } finally {
    await context.setOffline(false);
  }
});

test("an event saved on the very first page: « Mon programme » and the event's page open offline", async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "a service worker needs JavaScript");
  // Saved at once, before the worker has kept anything of the page; the worker's copy of
  // wasm-split's loader comes late (as over a slow network), after the request for « Mon
  // programme », which needs it.
  await context.route(/\/pkg\/__wasm_split\.[^/]*\.js$/, async (route) => {
    if (route.request().serviceWorker()) await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.goto("/");
  await waitForHydration(page, true);
  const card = page.locator(".fr-card").filter({ has: page.getByRole("button", { name: "Ajouter à mon programme" }) }).first();
  const save = card.getByRole("button", { name: "Ajouter à mon programme" });
  const title = (await save.getAttribute("title"))!.replace(/^Ajouter « (.*) » à mon programme$/, "$1");
  // The saved event's own page, never opened.
  const event = (await card.locator(".fr-card__title a").getAttribute("href"))!;
  await save.click();
  await waitForOfflineCopy(page, ["/mon-programme", event], ["split_my_programme_loader"]);

  await context.setOffline(true);
  try {
    await page.goto("/mon-programme");
    await waitForHydration(page, true);
    await page.getByRole("link", { name: title }).click();
    await expect(page).toHaveURL(event);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  } finally {
    await context.setOffline(false);
  }
});

test("the saved events are kept again once the copy is emptied (as by a new build)", async ({ page }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "a service worker needs JavaScript");
  await page.goto("/");
  await waitForHydration(page, true);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const card = page.locator(".fr-card").filter({ has: page.getByRole("button", { name: "Ajouter à mon programme" }) }).first();
  const event = (await card.locator(".fr-card__title a").getAttribute("href"))!;
  const save = card.getByRole("button", { name: "Ajouter à mon programme" });
  await save.click();
  await waitForOfflineCopy(page, ["/mon-programme", event], ["split_my_programme_loader"]);

  // A new build starts an empty copy (and names other files, which the browser fetches
  // through the worker: here the same files, so its memory cache is turned off); the next
  // page hands the saved events over again.
  await page.evaluate(async () => {
    for (const name of await caches.keys()) await caches.delete(name);
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await page.goto("/");
  await waitForHydration(page, true);
  await waitForOfflineCopy(page, ["/mon-programme", event], ["split_my_programme_loader"]);
});

test("a filtered programme opened offline shows its filters, even from the copy of another selection", async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "a service worker needs JavaScript");
  const total = await openProgrammeUntilKept(page);
  // The count of one theme, filtered in the page (no page load: nothing else kept); its box
  // is in the themes' closed disclosure.
  await page.locator("#theme-coproduction").evaluate((box) => (box as HTMLInputElement).click());
  await expect(page.locator("#nombre-resultats")).not.toHaveText(total);
  const filtered = await page.locator("#nombre-resultats").innerText();

  await context.setOffline(true);
  try {
    // Only `/programme` is kept: the worker answers with it, and the island follows the URL.
    await page.goto("/programme?theme=coproduction");
    await waitForHydration(page, true);
    await expect(page.locator("#nombre-resultats")).toHaveText(filtered);
    await expect(page.locator("#theme-coproduction")).toBeChecked();
    // And back to the whole programme, from the same copy.
    await page.goto("/programme");
    await waitForHydration(page, true);
    await expect(page.locator("#nombre-resultats")).toHaveText(total);
    await expect(page.locator("#theme-coproduction")).not.toBeChecked();
  } finally {
    await context.setOffline(false);
  }
});

test("the service worker's script is never cached and names the build", async ({ request }) => {
  const response = await request.get("/sw.js");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/javascript");
  expect(response.headers()["cache-control"]).toBe("no-cache");
  expect(await response.text()).toMatch(/^const BUILD = "mip[.\w-]*";\n/);
});

// Issue 25: on a weak network (the page's answer held back 10 s), a kept page shows within the
// worker's 3 s timeout, with « Hors connexion — programme du … » at its top; the network's
// late answer updates the copy in the background; offline, the banner is there too, and it
// goes when the browser is back online.
test("a weak network gets the kept page within the timeout, with its banner", async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "a service worker needs JavaScript");
  await openProgrammeUntilKept(page);
  const keptAt = await page.evaluate(async () => {
    const name = (await caches.keys()).find((n) => n.startsWith("mip-offline-"))!;
    return (await (await caches.open(name)).match("/programme"))!.headers.get("x-mip-kept-at");
  });
  expect(keptAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  // The page's request held back (the worker's fetch goes through the context's routes).
  let held = 0;
  await context.route(/\/programme(\?.*)?$/, async (route) => {
    held++;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await route.fallback().catch(() => {});
  });
  const started = Date.now();
  await page.goto("/programme", { waitUntil: "domcontentloaded" });
  const banner = page.locator("#mip-hors-connexion");
  await expect(banner).toContainText(/^Hors connexion — programme du \S+ \d+(er)? \S+ \d{4}, \d+\sh\s\d\d$/);
  expect(Date.now() - started, "shown within the timeout, not after the network").toBeLessThan(8_000);
  expect(held).toBeGreaterThan(0);
  await expect(page.locator("#nombre-resultats")).toBeVisible();
  // The held answer, when it comes, is kept: the copy is the newer one.
  const keptAtNow = () =>
    page.evaluate(async () => {
      const name = (await caches.keys()).find((n) => n.startsWith("mip-offline-"))!;
      return (await (await caches.open(name)).match("/programme"))!.headers.get("x-mip-kept-at");
    });
  await expect.poll(keptAtNow, { timeout: 20_000 }).not.toBe(keptAt);
  await context.unroute(/\/programme(\?.*)?$/);

  // Offline: the copy, with its banner, which goes when the network is back.
  await context.setOffline(true);
  try {
    await page.goto("/programme");
    await expect(page.locator("#mip-hors-connexion")).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
  await expect(page.locator("#mip-hors-connexion")).toHaveCount(0);
});

// Issue 25: a kept page never names a catalogue the copy no longer has. The data changes, a
// page of the new version is kept (with its catalogue): the version the kept `/programme`
// names stays, and offline that page hydrates and filters from its own version.
test("a kept programme keeps the catalogue version it names when a newer one is kept", async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "a service worker needs JavaScript");
  const total = await openProgrammeUntilKept(page);
  const named = () =>
    page.evaluate(() => document.querySelector("[data-mip-catalogue]")?.getAttribute("data-mip-catalogue") ?? "");
  const catalogues = () =>
    page.evaluate(async () => {
      const name = (await caches.keys()).find((n) => n.startsWith("mip-offline-"))!;
      return (await (await caches.open(name)).keys())
        .map((r) => new URL(r.url))
        .filter((u) => u.pathname.endsWith("/catalogue.json") && u.search)
        .map((u) => u.pathname + u.search);
    });
  const first = await named();
  expect(first).toMatch(/catalogue\.json\?v=\d+$/);
  const id = sql("SELECT id FROM events WHERE edition_year = 2026 AND status = 'published' ORDER BY id LIMIT 1");
  sqlExec(`UPDATE events SET summary = summary || ' ' WHERE id = ${id}`);
  try {
    await page.goto("/programme?theme=coproduction");
    await waitForHydration(page, true);
    const second = await named();
    expect(second).not.toBe(first);
    await expect.poll(catalogues).toContain(second);
    expect(await catalogues()).toContain(first);

    await context.setOffline(true);
    try {
      await page.goto("/programme");
      await waitForHydration(page, true);
      expect(await named()).toBe(first);
      await expect(page.locator("#nombre-resultats")).toHaveText(total);
      await page.locator("#theme-coproduction").evaluate((box) => (box as HTMLInputElement).click());
      await expect(page.locator("#nombre-resultats")).not.toHaveText(total);
    } finally {
      await context.setOffline(false);
    }
  } finally {
    sqlExec(`UPDATE events SET summary = rtrim(summary) WHERE id = ${id}`);
  }
});
