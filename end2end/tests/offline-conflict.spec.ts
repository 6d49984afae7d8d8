import { expect, test } from "@playwright/test";
import { demoAccount, openDashboardUntilKept, signIn, sql, sqlExec, waitForHydration } from "./support";

// Issue 25: a save queued offline that meets a newer version on the server gets the same
// conflict screen as online (« Cet événement a été modifié entre-temps », the version saved,
// the organizer's text kept); « Enregistrer ma version à la place » saves it and the queue
// forgets the draft.

const DEMO = demoAccount("organizer");

test("a save queued offline that meets a newer version gets the conflict screen", async ({ page, context, browser }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "the offline copy needs JavaScript");
  test.setTimeout(90_000);
  sqlExec("UPDATE editions SET referencing_closes_on = '2026-11-30' WHERE year = 2026");
  const id = sql(
    `SELECT e.id FROM events e JOIN accounts a ON a.id = e.organizer_id
     WHERE a.email = '${DEMO.email}' AND e.edition_year = 2026 AND e.duplicated_from IS NULL ORDER BY e.id LIMIT 1`,
  );
  const form = `/organisateur/evenements/${id}`;
  const latest = `SELECT coalesce(json_extract(pending_input, '$.title'), title) FROM events WHERE id = ${id}`;
  const before = sql(latest);
  try {
    // The form's wasm chunk kept too: without it the form opened offline never hydrates (a
    // slow machine's CI met this).
    await openDashboardUntilKept(page, DEMO);
    await expect
      .poll(() => page.evaluate(async (form) => !!(await (await caches.open("mip-private")).match(form)), form), { timeout: 30_000 })
      .toBe(true);

    await context.setOffline(true);
    try {
      await page.goto(form);
      await waitForHydration(page, true);
      await page.fill("#title", "Titre saisi hors connexion");
      await page.getByRole("button", { name: /^Enregistrer/ }).click();
      await expect(page.locator("#envoi-brouillon")).toContainText("Hors connexion — enregistré sur cet appareil");

      // Meanwhile, on another device, online: another title saved.
      const other = await browser.newContext();
      const device = await other.newPage();
      await signIn(device, DEMO.email, DEMO.password);
      await device.goto(form);
      await waitForHydration(device, true);
      await device.fill("#title", "Titre saisi sur un autre appareil");
      await device.getByRole("button", { name: /^Enregistrer/ }).click();
      await device.waitForURL(/etat=/);
      await other.close();
    } finally {
      await context.setOffline(false);
    }

    const conflict = page.locator("#conflit");
    await expect(conflict).toBeVisible({ timeout: 20_000 });
    await expect(conflict).toContainText("Cet événement a été modifié entre-temps");
    await expect(conflict.locator("[data-conflict-title]")).toHaveText("Titre saisi sur un autre appareil");
    await expect(page.locator("#title")).toHaveValue("Titre saisi hors connexion");
    expect(sql(latest)).toBe("Titre saisi sur un autre appareil");

    await conflict.getByRole("button", { name: "Enregistrer ma version à la place" }).click();
    await page.waitForURL(/etat=/);
    expect(sql(latest)).toBe("Titre saisi hors connexion");
    // Nothing left waiting on this device.
    await page.goto("/organisateur");
    await waitForHydration(page, true);
    await expect(page.locator("[data-queued-drafts]")).toHaveCount(0);
    expect(await page.evaluate(() => (window as any).mipDrafts({ drafts: "list", account: 0 }).then(() => "ok"))).toBe("ok");
  } finally {
    sqlExec(
      `UPDATE events SET title = '${before.replace(/'/g, "''")}', pending_input = CASE WHEN pending_input IS NULL THEN NULL ELSE json_set(pending_input, '$.title', '${before.replace(/'/g, "''")}') END WHERE id = ${id}`,
    );
    sqlExec("UPDATE editions SET referencing_closes_on = '2026-10-29' WHERE year = 2026");
  }
});
