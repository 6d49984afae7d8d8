import { expect, test, type Page } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";
import { cached, demoAccount, openDashboardUntilKept, sql, sqlExec, waitForHydration } from "./support";

// Issue 25: the organizer's work without a network (server/src/sw.js, the drafts' queue and the
// private copy). Drafts saved and submitted offline wait on this device, survive the page being
// closed, reopen offline, and reach the server exactly once when the network returns; the
// dashboard reads offline, read-only, and a sign-out leaves nothing of it in the caches.

const DEMO = demoAccount("organizer");

/** The demo's referencing window closed on 29 October; these tests create and submit. */
function openReferencing() {
  sqlExec("UPDATE editions SET referencing_closes_on = '2026-11-30' WHERE year = 2026");
}

async function fillEvent(page: Page, title: string) {
  await page.fill("#title", title);
  await page.fill("#summary", "Préparé dans le train, sans réseau : une matinée pour essayer le guichet unique.");
  await page.locator('label[for^="theme-"]', { hasText: "Simplification des démarches" }).click();
  await page.selectOption("#format", { label: "Atelier participatif" });
  await page.selectOption("#audience", { label: "Tous publics" });
  await page.locator('label[for="mode-en_ligne"]').click();
  await page.fill("#online_url", "https://www.exemple.gouv.fr/visio");
  await page.fill("#starts_at", "2026-11-18T10:00");
  await page.fill("#ends_at", "2026-11-18T12:00");
}

const countTitled = (title: string) => sql(`SELECT count(*) FROM events WHERE title = '${title.replace(/'/g, "''")}'`);

test.describe("the organizer offline", () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, "the offline copy needs JavaScript");
  test.afterEach(() => {
    sqlExec("UPDATE editions SET referencing_closes_on = '2026-10-29' WHERE year = 2026");
  });

  test("drafts saved and submitted offline reach the server exactly once", async ({ page, context }) => {
    test.setTimeout(120_000);
    openReferencing();
    const first = "Guichet unique : atelier préparé hors connexion";
    const second = "Guichet unique : second brouillon hors connexion";
    await openDashboardUntilKept(page);

    await context.setOffline(true);
    const held: Array<() => void> = [];
    try {
      // A new event, from the copy: saved as a draft, then submitted, without a network.
      await page.goto("/organisateur/evenements/nouveau");
      await waitForHydration(page, true);
      await expect(page.locator("#mip-hors-connexion")).toContainText("Hors connexion — formulaire gardé le");
      await fillEvent(page, first);
      await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
      await expect(page.locator("#envoi-brouillon")).toContainText("Hors connexion — enregistré sur cet appareil");
      await page.getByRole("button", { name: "Soumettre pour publication" }).click();
      await expect(page.locator("#envoi-brouillon")).toContainText("Hors connexion — enregistré sur cet appareil");

      // A second draft at once, in a new form (its own key).
      await page.goto("/organisateur/evenements/nouveau");
      await waitForHydration(page, true);
      await fillEvent(page, second);
      await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
      await expect(page.locator("#envoi-brouillon")).toContainText("Hors connexion — enregistré sur cet appareil");

      // The page closed; another one, still offline: the dashboard lists both, and the first
      // reopens with what was typed.
      await page.close();
      page = await context.newPage();
      await page.goto("/organisateur");
      await waitForHydration(page, true);
      await expect(page.locator("#mip-hors-connexion")).toContainText("en lecture seule");
      const queued = page.locator("[data-queued-drafts]");
      await expect(queued).toContainText("en attente d'envoi (2)");
      await expect(queued.locator("li").nth(0)).toContainText("soumission en attente d'envoi");
      await queued.getByRole("link", { name: first }).click();
      await waitForHydration(page, true);
      await expect(page.locator("#title")).toHaveValue(first);
      await expect(page.locator("#envoi-brouillon")).toContainText("Hors connexion — enregistré sur cet appareil");
      expect(countTitled(first)).toBe("0");

      // The first create is held on its way, to see the queue waiting once the network is back.
      await context.route("**/api/organisateur/creer", async (route) => {
        await new Promise<void>((resolve) => held.push(resolve));
        await route.continue();
      });
    } finally {
      await context.setOffline(false);
    }
    await expect(page.locator("#envoi-brouillon")).toContainText("En attente d'envoi (2)");
    await expect.poll(() => held.length).toBeGreaterThan(0);
    // Released: from now on, the creates go through.
    const release = () => {
      for (const go of held.splice(0)) go();
    };
    const releasing = setInterval(release, 50);
    try {
      await expect(page.locator("#envoi-brouillon")).toContainText("Envoyé");
    } finally {
      clearInterval(releasing);
      release();
    }
    await expect(page.locator("#envoi-brouillon")).toContainText("soumis");

    // Exactly one event each: the first submitted, the second a draft; nothing left queued.
    await expect.poll(() => countTitled(second)).toBe("1");
    expect(countTitled(first)).toBe("1");
    expect(sql(`SELECT status FROM events WHERE title = '${first.replace(/'/g, "''")}'`)).toBe("submitted");
    expect(sql(`SELECT status FROM events WHERE title = '${second.replace(/'/g, "''")}'`)).toBe("draft");
    await page.goto("/organisateur");
    await waitForHydration(page, true);
    await expect(page.locator("[data-queued-drafts]")).toHaveCount(0);
    // Another chance to send (the page shown again) sends nothing twice.
    await page.evaluate(() => (window as any).mipDrafts({ drafts: "flush" }));
    expect(countTitled(first)).toBe("1");
    expect(countTitled(second)).toBe("1");
    await context.unroute("**/api/organisateur/creer");
    // With the schema's cascades (the sqlite3 shell leaves foreign keys off): their themes and
    // create keys go too, and no later row reuses their ids into stale ones.
    sqlExec(`PRAGMA foreign_keys = ON; DELETE FROM events WHERE title IN ('${first.replace(/'/g, "''")}', '${second.replace(/'/g, "''")}')`);
  });

  test("the dashboard reads offline, read-only; a sign-out offline leaves nothing of it", async ({ page, context }) => {
    await openDashboardUntilKept(page);
    const name = sql(`SELECT name FROM accounts WHERE email = '${DEMO.email}'`);
    await context.setOffline(true);
    try {
      await page.goto("/organisateur");
      await waitForHydration(page, true);
      await expect(page.locator("#mip-hors-connexion")).toContainText(/Hors connexion — copie du .*, en lecture seule/);
      await expect(page.getByText(`Bonjour ${name}`)).toBeVisible();
      await expect(page.locator("main[data-lecture-seule]")).toHaveCount(1);
      // Its forms (duplicate, cancel…) are hidden; its events' forms open.
      await expect(page.getByRole("button", { name: /Dupliquer/ })).toHaveCount(0);
      // Without a network the sign-out itself fails (the browser's error page), but the worker
      // has emptied the private copy on its way.
      await page.getByRole("button", { name: "Se déconnecter" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes hors connexion");
      await expect(page.locator("main")).toContainText("effacée de cet appareil");
      await page.goto("/programme");
      await expect.poll(async () => Object.keys(await cached(page)).includes("mip-private")).toBe(false);
      const left = Object.values(await cached(page)).flat();
      expect(left.filter((path) => path.startsWith("/organisateur"))).toEqual([]);
    } finally {
      await context.setOffline(false);
    }
  });

  test("another account's page empties the private copy of the first", async ({ page }) => {
    await openDashboardUntilKept(page);
    const first = sql(`SELECT id FROM accounts WHERE email = '${DEMO.email}'`);
    // Another organizer of the demo, signed in on the same browser (a session written
    // directly: this is about the copy, not about signing in).
    const token = randomBytes(32).toString("hex");
    const hash = createHash("sha256").update(token).digest("hex");
    sqlExec(
      `INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at)
       SELECT '${hash}', id, '2026-11-10T08:00:00Z', '2026-11-10T08:00:00Z', '2026-11-11T08:00:00Z'
       FROM accounts WHERE email = 'organisation001@example.org'`,
    );
    const other = sql("SELECT id FROM accounts WHERE email = 'organisation001@example.org'");
    await page.context().clearCookies();
    await page.context().addCookies([{ name: "mip_session", value: token, url: new URL(page.url()).origin }]);
    await page.goto("/organisateur");
    await waitForHydration(page, true);
    await expect
      .poll(async () =>
        page.evaluate(async () => {
          const cache = await caches.open("mip-private");
          const marks = [];
          for (const request of await cache.keys()) marks.push((await cache.match(request))!.headers.get("x-mip-account"));
          return [...new Set(marks)];
        }),
      )
      .toEqual([other]);
    expect(other).not.toBe(first);
  });
});
