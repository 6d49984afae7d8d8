import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { sql, sqlExec } from "./support";

// The communication kit of an event (server/src/kit.rs): its poster printed to PDF by
// Chromium as a visitor would (« Enregistrer au format PDF »), read back by real readers:
// poppler's pdfinfo and pdftotext, and zbar's zbarimg for the QR code of the page printed
// (pdftoppm draws it first). KIT_SCREENSHOTS=1 also writes the pictures in docs/screenshots/.

const screenshots = path.resolve(__dirname, "../../docs/screenshots");

/** A title of exactly 200 characters, the longest the site takes. */
const LONG_TITLE = (
  "Atelier participatif sur la simplification des démarches administratives des usagers " +
  "ultramarins, avec les agents des préfectures, les caisses et les associations du territoire, " +
  "pour co-construire ensemble des services"
).slice(0, 200);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** Text as read from the PDF, its spaces (no-break ones included) and line ends made one. */
function words(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

test.describe("the communication kit", () => {
  // The poster has no script: what JavaScript changes is not on it, once is enough.
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled !== false, "the poster is the same with JavaScript");

  let id = "";
  let saved = "";

  test.beforeAll(() => {
    // The last published event in a venue, taken to Guadeloupe with the longest title, then
    // put back as it was (the other specs read the demo as it is).
    id = sql(
      "SELECT id FROM events WHERE status = 'published' AND edition_year = 2026 AND mode = 'presentiel' ORDER BY id DESC LIMIT 1",
    );
    saved = sql(
      `SELECT 'UPDATE events SET title = ' || quote(title) || ', region_code = ' || quote(region_code) ||
       ', department_code = ' || quote(department_code) || ', city = ' || quote(city) ||
       ', venue_name = ' || quote(venue_name) || ', venue_address = ' || quote(venue_address) ||
       ', postal_code = ' || quote(postal_code) ||
       ', time_zone = ' || quote(time_zone) || ', starts_at = ' || quote(starts_at) ||
       ', ends_at = ' || quote(ends_at) || ' WHERE id = ${id}' FROM events WHERE id = ${id}`,
    );
    sqlExec(
      `UPDATE events SET title = '${LONG_TITLE.replace(/'/g, "''")}', region_code = '01', department_code = '971',
       city = 'Pointe-à-Pitre', venue_name = 'Médiathèque', venue_address = '1 rue Frébault',
       postal_code = '97110', time_zone = 'America/Guadeloupe',
       starts_at = '2026-11-08T13:00:00Z', ends_at = '2026-11-08T15:00:00Z' WHERE id = ${id}`,
    );
  });

  test.afterAll(() => {
    if (saved) sqlExec(saved);
  });

  test("the poster prints on one A4 page, with its title, its local time and a QR code of the event's page", async ({
    page,
    request,
  }, testInfo) => {
    const slug = sql(`SELECT slug FROM events WHERE id = ${id}`);
    // The event page names its poster and its sharing image (absolute).
    await page.goto(`/evenements/${slug}`);
    const eventUrl = await page.locator('meta[property="og:url"]').getAttribute("content");
    expect(eventUrl).toMatch(/^https?:\/\/[^/]+\/evenements\//);
    await expect(page.locator('meta[property="og:image"]')).toHaveAttribute("content", `${eventUrl}/partage.png`);
    await page.getByRole("link", { name: "Affiche à imprimer" }).click();
    await expect(page).toHaveURL(new RegExp(`/evenements/${slug}/affiche$`));
    await expect(page.locator("h1")).toHaveText(LONG_TITLE);
    await page.evaluate(() => document.fonts.ready);
    // In Marianne, from the site's own fonts.
    const marianne = await page.evaluate(() =>
      [...document.fonts].filter((f) => f.family.includes("Marianne") && f.status === "loaded").map((f) => f.weight),
    );
    expect(marianne).toContain("700");
    // The title fits: nothing of the sheet's content is hidden by its bottom edge.
    const overflow = await page.evaluate(() => {
      const content = document.querySelector(".content")!;
      return content.scrollHeight - content.clientHeight;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    if (process.env.KIT_SCREENSHOTS) {
      await page.locator(".sheet").screenshot({ path: path.join(screenshots, "affiche-titre-200.png") });
    }

    const pdfPath = testInfo.outputPath("affiche.pdf");
    writeFileSync(pdfPath, await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true }));
    const info = execFileSync("pdfinfo", [pdfPath], { encoding: "utf8" });
    expect(info).toMatch(/^Pages:\s+1$/m);
    // 210 × 297 mm is 595.3 × 841.9 pt (Chromium rounds to its own units: within a point).
    const [, width, height] = info.match(/^Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)/m) ?? [];
    expect(Math.abs(Number(width) - 595.28)).toBeLessThan(1);
    expect(Math.abs(Number(height) - 841.89)).toBeLessThan(1);
    const text = words(execFileSync("pdftotext", ["-enc", "UTF-8", pdfPath, "-"], { encoding: "utf8" }));
    expect(text).toContain("Mois de l'innovation publique 2026");
    // pdftotext joins a word cut after its hyphen at a line's end (« co-⏎construire » reads
    // « coconstruire »): hyphens are left out of the comparison.
    const unhyphenated = (t: string) => t.replace(/-\s*/g, "");
    expect(unhyphenated(text)).toContain(unhyphenated(words(LONG_TITLE)));
    // 13:00 UTC in Guadeloupe (UTC−4): 9 h at the venue.
    expect(text).toContain("dimanche 8 novembre 2026, 9 h 00 – 11 h 00 (heure de Guadeloupe)");
    expect(text).toContain("Médiathèque, 1 rue Frébault, 97110 Pointe-à-Pitre");

    // The QR code, drawn from the PDF at 150 dpi, read by zbar: the event's page.
    const picture = testInfo.outputPath("affiche");
    execFileSync("pdftoppm", ["-r", "150", "-png", "-singlefile", pdfPath, picture]);
    const decoded = execFileSync("zbarimg", ["--quiet", "--raw", `${picture}.png`], {
      encoding: "utf8",
      // zbar says on standard error that it finds no D-Bus: captured, shown only on failure.
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
    expect(decoded).toBe(eventUrl);

    // The sharing image: a 1200 × 630 PNG.
    const image = await request.get(`/evenements/${slug}/partage.png`);
    expect(image.status()).toBe(200);
    expect(image.headers()["content-type"]).toBe("image/png");
    const png = await image.body();
    expect(pngSize(png)).toEqual([1200, 630]);
    if (process.env.KIT_SCREENSHOTS) {
      writeFileSync(path.join(screenshots, "partage-titre-200.png"), png);
    }
  });

  test("an event that is not published has neither poster nor image", async ({ request }) => {
    const slug = sql("SELECT slug FROM events WHERE status IN ('draft', 'submitted') ORDER BY id LIMIT 1");
    expect(slug).not.toBe("");
    for (const suffix of ["", "/affiche", "/partage.png"]) {
      const reply = await request.get(`/evenements/${slug}${suffix}`);
      expect(reply.status(), suffix).toBe(404);
    }
  });
});
