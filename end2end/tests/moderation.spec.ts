import { expect, test } from "@playwright/test";
import { demoAccount, expectNoAxeViolations, signIn, sql, waitForHydration } from "./support";

const MODERATOR = demoAccount("moderator");
const ORGANIZER = demoAccount("organizer");

test.describe("moderation", () => {
  test("a moderator publishes a submitted event and it appears in the programme", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    // One event per project (the two projects share the database).
    const [id, title] = sql(
      `SELECT id || '|' || title FROM events WHERE status = 'submitted' AND edition_year = 2026
       AND organizer_id <> (SELECT id FROM accounts WHERE email = '${ORGANIZER.email}')
       ORDER BY id ${js ? "DESC" : "ASC"} LIMIT 1`,
    ).split("|");
    await signIn(page, MODERATOR.email, MODERATOR.password, js);
    await page.goto("/moderation");
    await waitForHydration(page, js);
    await expect(page.getByRole("heading", { level: 1, name: "Modération" })).toBeVisible();
    await expectNoAxeViolations(page, testInfo);

    await page.locator(`[data-queue-event="${id}"] a`).click();
    await waitForHydration(page, js);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await page.getByRole("button", { name: "Publier", exact: true }).click();
    await page.waitForURL(/\/moderation\?fait=publie/);
    await expect(page.getByText("Événement publié")).toBeVisible();
    expect(sql(`SELECT status FROM events WHERE id = ${id}`)).toBe("published");

    const slug = sql(`SELECT slug FROM events WHERE id = ${id}`);
    await page.goto(`/programme?q=${encodeURIComponent(title.split(" ").slice(0, 4).join(" "))}`);
    await expect(page.locator(`a[href="/evenements/${slug}"]`).first()).toBeVisible();
  });

  test("changes requested reach the organizer's dashboard", async ({ browser }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "checked once");
    const id = sql(
      `SELECT e.id FROM events e JOIN accounts a ON a.id = e.organizer_id
       WHERE a.email = '${ORGANIZER.email}' AND e.status = 'submitted' ORDER BY e.id LIMIT 1`,
    );
    test.skip(id === "", "no submitted event left for the demo organizer");
    const moderatorContext = await browser.newContext();
    const moderator = await moderatorContext.newPage();
    await signIn(moderator, MODERATOR.email, MODERATOR.password);
    await moderator.goto(`/moderation/evenements/${id}`);
    await waitForHydration(moderator, true);
    await moderator.fill("#message-modifications", "Merci de préciser la salle et l'étage.");
    await moderator.getByRole("button", { name: "Demander des modifications" }).click();
    await moderator.waitForURL(/fait=modifications/);
    await moderatorContext.close();

    const organizerContext = await browser.newContext();
    const organizer = await organizerContext.newPage();
    await signIn(organizer, ORGANIZER.email, ORGANIZER.password);
    const line = organizer.locator(`[data-event-id="${id}"]`);
    await expect(line).toContainText("Merci de préciser la salle et l'étage.");
    await expect(organizer.locator('[data-section="changes_requested"]')).toBeVisible();
    expect(sql(`SELECT count(*) FROM outbox WHERE body LIKE '%préciser la salle%'`)).toBe("1");
    await organizerContext.close();
  });
});
