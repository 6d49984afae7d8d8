import { expect, test, type Page } from "@playwright/test";
import { demoAccount, expectNoAxeViolations, signIn, sql, sqlExec, waitForHydration } from "./support";

const DEMO = demoAccount("organizer");

/** The demo organizer's 2026 event (submitted in the demo). */
function demoEventId(): string {
  return sql(
    `SELECT e.id FROM events e JOIN accounts a ON a.id = e.organizer_id
     WHERE a.email = '${DEMO.email}' AND e.edition_year = 2026 AND e.duplicated_from IS NULL ORDER BY e.id LIMIT 1`,
  );
}

async function openForm(page: Page, path: string) {
  await page.goto(path);
  await waitForHydration(page, true);
  await expect(page.locator("#title")).toBeVisible();
}

/** The demo's referencing window closed on 29 October; tests that create or submit open it. */
function openReferencing() {
  sqlExec("UPDATE editions SET referencing_closes_on = '2026-11-30' WHERE year = 2026");
}

test.describe("the organizer's side", () => {
  test.afterEach(() => {
    sqlExec("UPDATE editions SET referencing_closes_on = '2026-10-29' WHERE year = 2026");
  });

  test("signing in works without JavaScript too", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    await signIn(page, DEMO.email, DEMO.password, js);
    await expect(page.getByText("Bonjour Camille Martin")).toBeVisible();
    await expect(page.locator('[data-count="submitted"]')).toContainText("Soumis : ");
    await expect(page.locator("[data-referencing]")).toContainText("clos depuis le jeudi 29 octobre 2026");
  });

  test("a new organizer signs up, confirms, references an in-person event and submits it", async ({ page }, testInfo) => {
    openReferencing();
    test.skip(testInfo.project.use.javaScriptEnabled === false, "the event form needs JavaScript");
    const email = "nouvelle.agente@exemple.gouv.fr";
    await page.goto("/inscription");
    await waitForHydration(page, true);
    await page.fill("#name", "Nadia Agente");
    await page.fill("#email", email);
    await page.fill("#password", "trois chats sur le toit de la mairie");
    await page.fill("#structure", "Mairie de Pau");
    await page.selectOption("#organizer_type", { label: "Collectivité territoriale" });
    await page.selectOption("#region", { label: "Nouvelle-Aquitaine" });
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page.getByText("Votre compte est créé")).toBeVisible();

    // The confirmation link, from the outbox.
    const body = sql(`SELECT body FROM outbox WHERE recipient = '${email}' ORDER BY id DESC LIMIT 1`);
    const link = body.match(/\/confirmation\?jeton=[0-9a-f]+/)![0];
    await page.goto(link);
    await waitForHydration(page, true);
    await page.getByRole("button", { name: "Confirmer mon adresse" }).click();
    await expect(page.getByText("Votre adresse est confirmée")).toBeVisible();

    await signIn(page, email, "trois chats sur le toit de la mairie");
    await expect(page.getByText("Vous n'avez pas encore référencé d'événement")).toBeVisible();
    await page.getByRole("link", { name: "Référencer un événement" }).click();
    await waitForHydration(page, true);
    await expect(page.locator("#title")).toBeVisible();

    await page.fill("#title", "Atelier : simplifier la demande de logement social");
    await page.fill("#summary", "Usagers et agents conçoivent ensemble un formulaire plus simple.");
    await page.locator('label[for^="theme-"]', { hasText: "Simplification des démarches" }).click();
    await page.selectOption("#format", { label: "Atelier participatif" });
    await page.selectOption("#audience", { label: "Tous publics" });
    await page.fill("#structure_name", "Mairie de Pau");
    await page.selectOption("#organizer_type", { label: "Collectivité territoriale" });
    await page.locator('label[for="mode-presentiel"]').click();
    await page.selectOption("#region", { label: "Nouvelle-Aquitaine" });
    await page.selectOption("#department", { label: "64 – Pyrénées-Atlantiques" });
    await page.fill("#venue_address", "Place Royale");
    await page.fill("#postal_code", "64000");
    await page.fill("#city", "Pau");
    await page.fill("#starts_at", "2026-11-17T14:00");
    await page.fill("#ends_at", "2026-11-17T13:00");
    await page.locator("#contact_name").focus();
    // The shared rules answer in the browser, on the field.
    await expect(page.locator("#ends_at-messages")).toHaveText("La fin doit être après le début.");
    await expect(page.locator("#ends_at")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#starts_at").locator("xpath=..")).toContainText("Europe/Paris");
    await expectNoAxeViolations(page, testInfo);

    await page.fill("#ends_at", "2026-11-17T16:30");
    await expect(page.locator("#ends_at-messages")).toHaveText("");
    await page.getByRole("button", { name: "Soumettre pour publication" }).click();
    await page.waitForURL(/\/organisateur\/evenements\/\d+\?etat=soumis/);
    await expect(page.getByText("Événement soumis")).toBeVisible();
    await expect(page.locator('[data-status="submitted"]').first()).toHaveText("Soumis");
    expect(
      sql(`SELECT status || ' ' || starts_at FROM events WHERE title LIKE 'Atelier : simplifier la demande%'`),
    ).toBe("submitted 2026-11-17T13:00:00Z");

    await page.goto("/organisateur");
    await expect(page.locator('[data-section="submitted"]')).toContainText("Atelier : simplifier la demande de logement social");
  });

  test("the form checks a web address in the browser as the server does (the browser's own URL parser)", async ({ page }, testInfo) => {
    openReferencing();
    test.skip(testInfo.project.use.javaScriptEnabled === false, "the event form needs JavaScript");
    await signIn(page, DEMO.email, DEMO.password);
    await openForm(page, "/organisateur/evenements/nouveau");
    const message = page.locator("#registration_url-messages");
    for (const [address, accepted] of [
      ["pas une adresse", false],
      ["ftp://exemple.fr/inscription", false],
      ["https://exemple", false],
      ["https://www.exemple.gouv.fr/inscription?session=2", true],
      ["http://localhost/test", true],
    ] as const) {
      await page.fill("#registration_url", address);
      await page.locator("#registration_url").blur();
      if (accepted) {
        await expect(message, address).toHaveText("");
      } else {
        await expect(message, address).toContainText("Indiquez une adresse web complète");
      }
    }
  });

  test("a draft typed without a network is kept and sent once the network is back", async ({ page, context }, testInfo) => {
    openReferencing();
    test.skip(testInfo.project.use.javaScriptEnabled === false, "the event form needs JavaScript");
    await signIn(page, DEMO.email, DEMO.password);
    await openForm(page, "/organisateur/evenements/nouveau");
    const serverCopy = () =>
      sql(
        `SELECT coalesce(json_extract(s.input_json, '$.summary'), '') FROM event_autosaves s JOIN accounts a ON a.id = s.account_id
         WHERE a.email = '${DEMO.email}' AND s.event_key = 'new'`,
      );
    const notice = page.locator("#saisie-hors-connexion");
    const summary = "Tapé dans le train, sans réseau : une matinée pour tester le guichet unique.";

    await context.setOffline(true);
    try {
      await page.fill("#title", "Atelier : le guichet unique à l'essai");
      await page.fill("#summary", summary);
      await expect(notice).toContainText("Hors connexion : votre saisie est gardée dans ce navigateur");
      expect(serverCopy()).not.toBe(summary);
    } finally {
      await context.setOffline(false);
    }
    // Back online: sent by itself, without a keystroke.
    await expect(notice).toContainText("Connexion rétablie : votre saisie a été envoyée");
    await expect.poll(serverCopy).toBe(summary);

    // The server's copy is offered back on another device (nothing in this browser).
    await page.evaluate(() => localStorage.clear());
    await openForm(page, "/organisateur/evenements/nouveau");
    await expect(page.locator("#saisie-retrouvee")).toBeVisible();
    await page.getByRole("button", { name: "Reprendre cette saisie" }).click();
    await expect(page.locator("#summary")).toHaveValue(summary);
    await expectNoAxeViolations(page, testInfo);
    // Leaves no kept form behind for the other tests (away from the form: no autosave to come).
    await page.goto("/organisateur");
    await page.evaluate(() => localStorage.clear());
    sqlExec(`DELETE FROM event_autosaves WHERE event_key = 'new' AND account_id = (SELECT id FROM accounts WHERE email = '${DEMO.email}')`);
  });

  test("a signed-in organizer's programme filters live too (its catalogue reaches a signed-in browser whole)", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "live filtering needs JavaScript");
    await signIn(page, DEMO.email, DEMO.password);
    await page.goto("/programme");
    await waitForHydration(page, true);
    const total = await page.locator("#nombre-resultats").innerText();
    await page.locator("#theme-coproduction").evaluate((box) => (box as HTMLInputElement).click());
    await expect(page.locator("#nombre-resultats")).not.toHaveText(total);
    await expect(page).toHaveURL(/theme=coproduction/);
  });

  test("a published event edited stays published, its edit waits for review and the public keeps the approved text", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "the event form needs JavaScript");
    const id = demoEventId();
    sqlExec(`UPDATE events SET status = 'published', needs_review = 0, published_at = '2026-10-20T10:00:00Z', version = version + 1 WHERE id = ${id}`);
    const approved = sql(`SELECT title FROM events WHERE id = ${id}`);
    await signIn(page, DEMO.email, DEMO.password);
    await openForm(page, `/organisateur/evenements/${id}`);
    await expect(page.getByText("Cet événement est publié")).toBeVisible();
    await page.fill("#title", "Coécrire la charte d'accueil, édition ouverte");
    await page.getByRole("button", { name: "Enregistrer les modifications" }).click();
    await page.waitForURL(/etat=enregistre/);
    await expect(page.getByText("Modifications enregistrées")).toBeVisible();
    await expect(page.getByText("Modifié depuis la dernière relecture : Titre")).toBeVisible();
    expect(sql(`SELECT status || ' ' || needs_review FROM events WHERE id = ${id}`)).toBe("published 1");
    // The form shows what the organizer wrote; the public reads the approved text until a
    // moderator publishes the edit.
    await expect(page.locator("#title")).toHaveValue("Coécrire la charte d'accueil, édition ouverte");
    const slug = sql(`SELECT slug FROM events WHERE id = ${id}`);
    await page.goto(`/evenements/${slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(approved);
  });

  test("a 2025 event is duplicated into 2026 as a draft", async ({ page }, testInfo) => {
    openReferencing();
    test.skip(testInfo.project.use.javaScriptEnabled === false, "checked once, with JavaScript");
    await signIn(page, DEMO.email, DEMO.password);
    const source = sql(
      `SELECT e.id FROM events e JOIN accounts a ON a.id = e.organizer_id
       WHERE a.email = '${DEMO.email}' AND e.edition_year = 2025 ORDER BY e.starts_at LIMIT 1`,
    );
    const row = page.locator(`[data-past-event="${source}"]`);
    await row.getByRole("button", { name: /Dupliquer dans l'édition 2026/ }).click();
    await page.waitForURL(/\/organisateur\/evenements\/\d+\?etat=duplique/);
    await waitForHydration(page, true);
    await expect(page.getByText("Événement dupliqué en brouillon")).toBeVisible();
    const copy = page.url().match(/evenements\/(\d+)/)![1];
    expect(sql(`SELECT edition_year || ' ' || status || ' ' || duplicated_from FROM events WHERE id = ${copy}`)).toBe(
      `2026 draft ${source}`,
    );
    expect(await page.locator("#starts_at").inputValue()).toMatch(/^2026-11-/);
  });

  test("two tabs editing one event: the second gets the conflict screen and keeps its text", async ({ context }, testInfo) => {
    openReferencing();
    test.skip(testInfo.project.use.javaScriptEnabled === false, "the event form needs JavaScript");
    const id = demoEventId();
    const first = await context.newPage();
    await signIn(first, DEMO.email, DEMO.password);
    const second = await context.newPage();
    await openForm(first, `/organisateur/evenements/${id}`);
    await openForm(second, `/organisateur/evenements/${id}`);

    await first.fill("#title", "Titre saisi dans le premier onglet");
    await first.getByRole("button", { name: /^Enregistrer/ }).click();
    await first.waitForURL(/etat=/);

    await second.fill("#title", "Titre saisi dans le second onglet");
    await second.getByRole("button", { name: /^Enregistrer/ }).click();
    const conflict = second.locator("#conflit");
    await expect(conflict).toBeVisible();
    await expect(conflict).toContainText("Cet événement a été modifié entre-temps");
    await expect(conflict.locator("[data-conflict-title]")).toHaveText("Titre saisi dans le premier onglet");
    await expect(second.locator("#title")).toHaveValue("Titre saisi dans le second onglet");
    // The organizer's latest text: the row, or the edit kept aside when the event is public.
    const latest = `SELECT coalesce(json_extract(pending_input, '$.title'), title) FROM events WHERE id = ${id}`;
    expect(sql(latest)).toBe("Titre saisi dans le premier onglet");

    await conflict.getByRole("button", { name: "Enregistrer ma version à la place" }).click();
    await second.waitForURL(/etat=/);
    expect(sql(latest)).toBe("Titre saisi dans le second onglet");
  });
});
