import { expect, test, type Page } from "@playwright/test";
import { demoAccount, expectNoAxeViolations, signIn, sql, waitForHydration } from "./support";

const ADMIN = demoAccount("admin");

/**
 * A file as a French spreadsheet saves it (« CSV UTF-8 »: a byte order mark, `;`), three
 * events of the 2026 edition in three date formats; `broken` puts an hour that does not exist
 * on its line 2. Keys and titles are the project's own: both projects run on one database.
 */
function eventsFile(project: string, broken: boolean): string {
  const header =
    "identifiant;edition;titre;resume;themes;format;modalite;public;structure;type_structure;" +
    "region;commune;adresse;lien_en_ligne;debut;fin;hors_periode";
  const common = ["Un événement venu d'un tableur.", "Service à l'usager", "Atelier participatif"];
  const rows = [
    [`e2e-${project}-1`, "2026", `Atelier importé (${project})`, ...common, "présentiel", "Agents publics",
      "Préfecture du Rhône", "Service déconcentré de l'État", "84", "Lyon", "1 place Bellecour", "",
      broken ? "12/11/2026 25:00" : "12/11/2026 14:00", "12/11/2026 16:00", ""],
    [`e2e-${project}-2`, "2026", `Webinaire importé (${project})`, ...common, "en ligne", "Agents publics",
      "DITP", "Administration centrale", "", "", "", "https://visio.exemple.gouv.fr/e2e",
      "2026-11-13T10:00:00+01:00", "2026-11-13T11:00:00+01:00", ""],
    [`e2e-${project}-3`, "2026", `Journée importée (${project})`, ...common, "présentiel", "Agents publics",
      "Région Guadeloupe", "Collectivité territoriale", "01", "Basse-Terre", "Hôtel de région", "",
      "2026-11-16", "", ""],
  ];
  return "\ufeff" + [header, ...rows.map((r) => r.join(";"))].join("\n") + "\n";
}

/** Chooses the file in the upload form and sends it: the page of its check. */
async function upload(page: Page, name: string, content: string) {
  const before = page.url();
  await page.setInputFiles("#fichier", { name, mimeType: "text/csv", buffer: Buffer.from(content, "utf8") });
  await page.getByRole("button", { name: "Vérifier le fichier" }).click();
  await page.waitForURL((url) => url.href !== before && /[?&]essai=\d+$/.test(url.href));
}

test("an admin checks a CSV file, fixes it, confirms the import, and sending it again creates nothing", async ({ page }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const project = testInfo.project.name;
  await signIn(page, ADMIN.email, ADMIN.password, js);
  await page.goto("/admin/import");
  await waitForHydration(page, js);
  // The formats are documented, with an example file to download.
  await expect(page.locator("[data-date-formats]")).toContainText("10/11/2026 14:00");
  await expect(page.locator("[data-date-formats]")).toContainText("2026-11-10T14:00:00+01:00");
  const example = await page.request.get("/admin/import/exemple.csv");
  expect(example.status()).toBe(200);
  expect(await example.text()).toContain("identifiant");
  await expectNoAxeViolations(page, testInfo);

  // A file with a mistake: the report on the page, by line and column; nothing imported.
  await upload(page, "evenements.csv", eventsFile(project, true));
  await expect(page.locator("[data-import-summary]")).toContainText("1 ligne en erreur sur 3");
  const bad = page.locator('tr[data-line="2"] [data-column="debut"]');
  await expect(bad).toContainText("Date illisible");
  await expect(page.locator("[data-import-confirm]")).toHaveCount(0);
  await expectNoAxeViolations(page, testInfo);
  expect(sql(`SELECT count(*) FROM event_import_keys WHERE key LIKE 'e2e-${project}-%'`)).toBe("0");

  // Fixed: what each row will do, then the confirmation and its summary.
  await upload(page, "evenements.csv", eventsFile(project, false));
  await expect(page.locator("[data-import-summary]")).toContainText("3 à créer, 0 à mettre à jour");
  await expect(page.locator('[data-action="à créer"]')).toHaveCount(3);
  await page.getByRole("button", { name: "Confirmer l'import de 3 événements (3 créés, 0 mis à jour)" }).click();
  await page.waitForURL(/importe=1/);
  await expect(page.locator("[data-import-summary]")).toContainText("3 événements créés, 0 mis à jour, 0 inchangé");
  expect(sql(`SELECT count(*) FROM event_import_keys WHERE key LIKE 'e2e-${project}-%'`)).toBe("3");
  // The offset is converted to the venue's time; the date alone is a day.
  expect(
    sql(`SELECT e.starts_at FROM events e JOIN event_import_keys k ON k.event_id = e.id WHERE k.key = 'e2e-${project}-2'`),
  ).toBe("2026-11-13T09:00:00Z");

  // The same file again: nothing created, nothing to confirm.
  await upload(page, "evenements.csv", eventsFile(project, false));
  await expect(page.locator("[data-import-summary]")).toContainText("0 à créer, 0 à mettre à jour, 3 inchangées");
  await expect(page.locator("[data-import-confirm]")).toHaveCount(0);
  expect(sql(`SELECT count(*) FROM events WHERE title = 'Atelier importé (${project})'`)).toBe("1");
});
