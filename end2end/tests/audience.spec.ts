import { expect, test } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { sql, waitForHydration } from "./support";

// Issue 28: audience figures counted through the real pages, per event and per day (the
// server's day: MIP_NOW, 10 November 2026), kept in memory and written every few seconds.

type Counts = { vue: number; programme: number; agenda: number; inscription: number };

/** An event of its own per project (no other spec visits it), still to come, with a link. */
function event(offset: number): { slug: string; registration: string } {
  const [slug, registration] = sql(
    "SELECT slug || '|' || registration_url FROM events WHERE edition_year = 2026 AND status = 'published' " +
      `AND starts_at > '2026-11-14' AND registration_url LIKE 'http%' ORDER BY id DESC LIMIT 1 OFFSET ${offset}`,
  ).split("|");
  return { slug, registration };
}

/** What the database holds for the event on the server's day. */
function counts(slug: string): Counts {
  const found: Counts = { vue: 0, programme: 0, agenda: 0, inscription: 0 };
  const rows = sql(
    "SELECT a.kind || '=' || a.count FROM audience a JOIN events e ON e.id = a.event_id " +
      `WHERE e.slug = '${slug}' AND a.day = '2026-11-10'`,
  );
  for (const row of rows.split("\n").filter(Boolean)) {
    const [kind, n] = row.split("=");
    found[kind as keyof Counts] = Number(n);
  }
  return found;
}

/** The counts once written (every 5 s): `before` plus what was done. */
async function expectCounted(slug: string, before: Counts, added: Partial<Counts>) {
  const expected = { ...before };
  for (const [kind, n] of Object.entries(added)) expected[kind as keyof Counts] += n ?? 0;
  await expect.poll(() => counts(slug), { timeout: 20_000, intervals: [500] }).toEqual(expected);
}

test.describe("audience figures", () => {
  test("a page view, the calendar file and the registration link are counted without JavaScript", async ({ page, context }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled !== false, "the links that work without JavaScript");
    const { slug, registration } = event(0);
    const before = counts(slug);
    // The registration site is elsewhere (never reached: the tests stay on loopback); where the
    // browser was sent is enough.
    const sentTo: string[] = [];
    context.on("request", (request) => {
      if (request.redirectedFrom()?.url().endsWith(`/evenements/${slug}/inscription`)) sentTo.push(request.url());
    });
    await context.route((url) => !url.href.startsWith(baseURL), (route) => route.abort());
    await page.goto(`/evenements/${slug}`);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Ajouter à mon agenda" }).click();
    expect((await download).suggestedFilename()).toMatch(/\.ics$/);
    const link = page.getByRole("link", { name: "S'inscrire" });
    await expect(link).toHaveAttribute("href", `/evenements/${slug}/inscription`);
    await expect(link).toHaveAttribute("rel", "noopener");
    const popup = page.waitForEvent("popup");
    await link.click();
    await popup;
    await expect.poll(() => sentTo).toEqual([new URL(registration).href]);
    await expectCounted(slug, before, { vue: 1, agenda: 1, inscription: 1 });
  });

  test("adding an event to « Mon programme » is counted, removing it is not", async ({ page }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, "« Mon programme » is kept by the browser");
    const { slug } = event(1);
    const before = counts(slug);
    await page.goto(`/evenements/${slug}`);
    await waitForHydration(page, true);
    const beacons: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/api/audience")) beacons.push(r.postData() ?? "");
    });
    await page.getByRole("button", { name: "Ajouter à mon programme" }).click();
    await page.getByRole("button", { name: "Dans mon programme" }).click();
    await page.getByRole("button", { name: "Ajouter à mon programme" }).click();
    await expect(page.getByRole("button", { name: "Dans mon programme" })).toBeVisible();
    await expect.poll(() => beacons.length).toBe(2);
    expect(beacons[0]).toBe(`slug=${slug}&kind=programme`);
    await expectCounted(slug, before, { vue: 1, programme: 2 });
  });
});
