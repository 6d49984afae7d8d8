// Issue 27: every page is valid HTML, as the W3C Nu HTML checker (npm `vnu-jar`, run with
// the machine's Java) reads the server's HTML: signed out, as an organizer and as an
// administrator, forms in error included. Two things are the framework's, not ours, and are
// left out with their reason (see `frameworkOnly`).
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { demoAccount, signIn, signInStaff, sql } from "./support";

const VNU = path.resolve(__dirname, "../../node_modules/vnu-jar/build/dist/vnu.jar");

/**
 * The server's HTML of a page as the checker must read it. Leptos streams the data of its
 * resources as `<script>`s (and `<template>`s) after `</html>`, which the browser moves into
 * the body; the checker stops there (« Stray start tag »). They are the framework's, so the
 * document is checked up to `</html>`.
 */
function documentOnly(html: string): string {
  const end = html.indexOf("</html>");
  return end < 0 ? html : html.slice(0, end + "</html>".length);
}

/** Leptos' hydration markers `<!>` are empty comments that HTML's parser reads as « Bogus
 * comment »: they are how the framework finds its nodes again, not markup of ours. */
function frameworkOnly(message: string): boolean {
  return /^Bogus comment/.test(message);
}

type Message = { type: string; subType?: string; url: string; message: string; extract?: string };

async function fetchPages(page: Page, urls: string[], dir: string, prefix: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const [i, url] of urls.entries()) {
    const response = await page.request.get(url, { headers: { Accept: "text/html" } });
    expect(response.headers()["content-type"], url).toContain("text/html");
    const file = path.join(dir, `${prefix}-${i}.html`);
    writeFileSync(file, documentOnly(await response.text()));
    files.set(`file:${file}`, url);
  }
  return files;
}

function check(files: Map<string, string>): string[] {
  let output = "";
  try {
    output = execFileSync("java", ["-jar", VNU, "--errors-only", "--format", "json", ...[...files.keys()].map((f) => f.slice(5))], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error: any) {
    // vnu exits 1 when it found errors, and writes its JSON on standard error.
    output = `${error.stdout ?? ""}${error.stderr ?? ""}`;
  }
  const json = output.slice(output.indexOf("{"));
  const messages: Message[] = json.trim() ? JSON.parse(json).messages : [];
  return messages
    .filter((m) => m.type === "error" || m.subType === "fatal")
    .filter((m) => !frameworkOnly(m.message))
    .map((m) => `${(files.get(m.url) ?? m.url).slice(0, 100)}: ${m.message} [${(m.extract ?? "").replace(/\s+/g, " ").slice(0, 120)}]`);
}

test.describe("valid HTML (W3C Nu checker)", () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, "the server's HTML is the same for both projects");
  test.setTimeout(180_000);

  test("every page, signed out, as an organizer and as an administrator", async ({ browser }) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "mip-vnu-"));
    const slug = sql("SELECT slug FROM events WHERE status = 'published' AND edition_year = 2026 ORDER BY id LIMIT 1");
    const cancelled = sql("SELECT slug FROM events WHERE status = 'cancelled' ORDER BY id LIMIT 1");
    const lab = sql("SELECT slug FROM labs ORDER BY id LIMIT 1");
    const publicPages = [
      "/",
      "/programme",
      "/programme?vue=calendrier",
      "/programme?vue=carte",
      "/programme?theme=1&region=75",
      `/evenements/${slug}`,
      `/evenements/${slug}/affiche`,
      `/evenements/${cancelled}/affiche`,
      ...(cancelled ? [`/evenements/${cancelled}`] : []),
      "/mon-programme",
      "/editions",
      "/editions/2025",
      "/editions/2025/bilan",
      "/editions/2026/bilan",
      "/labs",
      `/labs/${lab}`,
      "/accessibilite",
      "/connexion",
      "/inscription",
      "/confirmation?jeton=faux",
      "/mot-de-passe-oublie",
      "/mot-de-passe/nouveau?jeton=faux",
      "/page-qui-n-existe-pas",
      "/evenements/inconnu",
      // An error outside a form, as a browser that followed a link sees it (the site's page).
      "/evenements/inconnu/agenda.ics",
      "/editions/deux-mille/bilan.csv",
    ];

    const visitor = await browser.newContext();
    const files = await fetchPages(await visitor.newPage(), publicPages, dir, "public");
    await visitor.close();

    const organizer = await browser.newContext();
    const organizerPage = await organizer.newPage();
    const own = demoAccount("organizer");
    await signIn(organizerPage, own.email, own.password);
    const event = sql(
      `SELECT e.id FROM events e JOIN accounts a ON a.id = e.organizer_id WHERE a.email = '${own.email}' ORDER BY e.id LIMIT 1`,
    );
    // A form posted with a mistake, as a browser without JavaScript posts it: the page that
    // comes back, with its error summary and messages, is checked too.
    await organizerPage.request.post("/api/organisateur/formulaire", {
      headers: { Accept: "text/html", Referer: new URL("/organisateur/evenements/nouveau", organizerPage.url()).href },
      form: { title: "", summary: "Un résumé", submit: "false" },
      maxRedirects: 0,
    }).then(async (response) => {
      expect([302, 303]).toContain(response.status());
      const back = response.headers()["location"];
      for (const [file, url] of await fetchPages(organizerPage, [back], dir, "error")) files.set(file, url);
    });
    for (const [file, url] of await fetchPages(
      organizerPage,
      ["/organisateur", "/organisateur/evenements/nouveau", `/organisateur/evenements/${event}`, `/organisateur/evenements/${event}/audience`, "/compte"],
      dir,
      "organizer",
    ))
      files.set(file, url);
    await organizer.close();

    const admin = await browser.newContext();
    const adminPage = await admin.newPage();
    await signInStaff(adminPage, "admin");
    const submitted = sql("SELECT id FROM events WHERE status = 'submitted' ORDER BY id LIMIT 1");
    for (const [file, url] of await fetchPages(
      adminPage,
      [
        "/moderation",
        `/moderation/evenements/${submitted}`,
        "/admin",
        "/admin/vocabulaires",
        "/admin/comptes",
        "/admin/import",
        "/admin/labs",
        "/admin/courriels",
        // The report as staff see it: with the edition's audience.
        "/editions/2026/bilan",
      ],
      dir,
      "admin",
    ))
      files.set(file, url);
    await admin.close();

    expect(check(files), "errors of the W3C Nu HTML checker").toEqual([]);
  });
});
