// Issue 24: every form of the site, submitted with a mistake, comes back to its own page
// with the error summary, the message on the field, what was typed (never a password) and
// no JSON, JavaScript off and on. The forms are listed from the pages' source (each
// `ServerAction::<Name>`, each form posted to `<Name as ServerFn>::PATH`): a form without a
// case here fails the first test.
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type Cookie, type Page } from "@playwright/test";
import { demoAccount, signIn, sql, sqlExec, waitForHydration } from "./support";

const ORGANIZER = demoAccount("organizer");
const MODERATOR = demoAccount("moderator");
const ADMIN = demoAccount("admin");

/** The server functions that the pages post as forms, read from app/src. */
function formsInSource(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith(".rs")) {
        const text = readFileSync(file, "utf8");
        for (const m of text.matchAll(/ServerAction::<(\w+)>/g)) found.add(m[1]);
        for (const m of text.matchAll(/<(\w+) as ServerFn>::PATH/g)) found.add(m[1]);
      }
    }
  };
  walk(path.resolve(__dirname, "../../app/src"));
  return found;
}

type Ctx = { page: Page; js: boolean };

/** The first `n` records of a CSV text (quoted cells may hold separators and line breaks). */
function csvRecords(text: string, n: number): string[][] {
  const firstLine = text.split("\n")[0];
  const separator = firstLine.includes(";") && !firstLine.includes(",") ? ";" : ",";
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length && records.length < n; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) cells.push(cell), (cell = "");
    else if (c === "\n") {
      cells.push(cell.replace(/\r$/, ""));
      records.push(cells);
      (cells = []), (cell = "");
    } else cell += c;
  }
  return records;
}

/** The page came back: its own path, no JSON, the error shown in words. */
async function expectBackInPage(page: Page, pathname: string) {
  await page.waitForLoadState("domcontentloaded");
  expect(new URL(page.url()).pathname).toBe(pathname);
  const text = await page.locator("body").innerText();
  expect(text.trim().startsWith("{")).toBe(false);
  expect(text).not.toContain('"error":');
  await expect(page.locator(`[data-error-summary], [data-form-error], ${PAGE_REFUSED}`).first()).toBeVisible();
}

/** A page that its visitor may no longer see (`pages::ErrorNotice`), with the reason. */
const PAGE_REFUSED = ".mip-empty-main .fr-alert--error";

/** The DSFR error summary: « Le formulaire contient N erreur(s) », each link to its field. */
async function expectSummary(page: Page, messages: RegExp[]) {
  const summary = page.locator("[data-error-summary]");
  await expect(summary).toHaveCount(1);
  await expect(summary).toHaveAttribute("role", "alert");
  await expect(summary.locator(".fr-alert__title")).toHaveText(/^Le formulaire contient \d+ erreurs?$/);
  for (const message of messages) await expect(summary).toContainText(message);
  for (const href of await summary.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))) {
    await expect(page.locator(href!), `${href} leads to its field`).toHaveCount(1);
  }
}

/** The field's own message, under it. */
async function expectFieldMessage(page: Page, id: string, message: RegExp) {
  await expect(page.locator(`#${id}-messages .fr-message--error`)).toHaveText(message);
  await expect(page.locator(`#${id}`)).toHaveAttribute("aria-invalid", "true");
}

/** Staff sessions, per project: a staff sign-in spends a second-factor step, and the
 * server's clock stands still (a few steps only for the whole run). */
const staffSessions = new Map<string, Cookie[]>();

async function signInAs(page: Page, js: boolean, account: { email: string; password: string }) {
  if (account.email === ORGANIZER.email) {
    await signIn(page, account.email, account.password, js);
    return;
  }
  const key = `${account.email} ${js}`;
  const kept = staffSessions.get(key);
  if (kept) {
    await page.context().addCookies(kept);
    return;
  }
  // The step this sign-in uses is handed back, for the other specs' sign-ins.
  const last = sql(`SELECT coalesce(totp_last_step, 'NULL') FROM accounts WHERE email = '${account.email}'`);
  try {
    await signIn(page, account.email, account.password, js);
  } finally {
    sqlExec(`UPDATE accounts SET totp_last_step = ${last} WHERE email = '${account.email}'`);
  }
  staffSessions.set(key, await page.context().cookies());
}

async function submit(page: Page, name: string | RegExp) {
  await page.getByRole("button", { name, exact: typeof name === "string" }).click();
}

const ORGANIZER_EVENT = () =>
  sql(
    `SELECT e.id FROM events e JOIN accounts a ON a.id = e.organizer_id WHERE a.email = '${ORGANIZER.email}' ` +
      `AND e.edition_year = 2026 AND e.status IN ('draft', 'submitted', 'published') ORDER BY e.id LIMIT 1`,
  );

/** The event form's case: a mistake, then the fix (see `cases.SaveEventForm`). */
async function saveEventForm(page: Page, js: boolean) {
  // With JavaScript, the island's own code must be there (it is fetched after the page's):
  // its description preview appears once it runs.
  if (js) await expect(page.getByRole("button", { name: "Aperçu de la description" })).toBeVisible();
  const before = sql("SELECT count(*) FROM events");
  const title = `Atelier du formulaire ${js ? "avec" : "sans"} JavaScript`;
  await page.fill("#summary", "Usagers et agents conçoivent ensemble un formulaire plus simple.");
  const theme = page.locator("input[name='themes[]']").first();
  await theme.check({ force: true });
  await page.selectOption("#format", { index: 1 });
  await page.selectOption("#audience", { index: 1 });
  await page.locator("#mode-presentiel").check({ force: true });
  await page.selectOption("#region", "75");
  await page.fill("#venue_address", "2 esplanade Charles-de-Gaulle");
  await page.fill("#city", "Bordeaux");
  await page.fill("#starts_at", "2026-11-17T14:00");
  await page.fill("#ends_at", "2026-11-17T16:30");
  await submit(page, "Enregistrer le brouillon");
  await expectSummary(page, [/titre/i]);
  // The buttons are at the bottom of a long form: the summary at its top takes the focus.
  await expect(page.locator("[data-error-summary]")).toBeFocused();
  await expectFieldMessage(page, "title", /titre/i);
  expect(new URL(page.url()).pathname).toBe("/organisateur/evenements/nouveau");
  // With JavaScript the island checked it in place; without, the server did (`__err`).
  expect(new URL(page.url()).searchParams.has("__err")).toBe(!js);
  await expect(page.locator("#summary")).toHaveValue("Usagers et agents conçoivent ensemble un formulaire plus simple.");
  await expect(theme).toBeChecked();
  await expect(page.locator("#mode-presentiel")).toBeChecked();
  await expect(page.locator("#city")).toHaveValue("Bordeaux");
  await expect(page.locator("#starts_at")).toHaveValue("2026-11-17T14:00");
  expect(sql("SELECT count(*) FROM events")).toBe(before);
  await page.fill("#title", title);
  await submit(page, "Enregistrer le brouillon");
  await expect(page).toHaveURL(/\/organisateur\/evenements\/\d+\?etat=brouillon/);
  await expect(page.getByText("Brouillon enregistré")).toBeVisible();
  expect(sql("SELECT count(*) FROM events")).toBe(String(Number(before) + 1));
  expect(sql(`SELECT status FROM events WHERE title = '${title}'`)).toBe("draft");
}

/** What a ProConnect answer leaves for the next step: an identity it checked for this
 * browser (its cookie), with `email`'s address (end2end/tests/proconnect.spec.ts takes the
 * whole way through a real provider). */
async function pendingProConnectIdentity(page: Page, email: string) {
  const token = randomBytes(24).toString("hex");
  const hash = createHash("sha256").update(token).digest("hex");
  sqlExec(
    "INSERT INTO proconnect_pending (token_hash, sub, email, name, id_token, expires_at) " +
      `VALUES ('${hash}', 'formulaires-${token.slice(0, 8)}', '${email}', 'Agent Formulaires', 'x', '2099-01-01T00:00:00Z')`,
  );
  await page.context().addCookies([{ name: "mip_proconnect", value: token, url: `${test.info().project.use.baseURL}/` }]);
}

const cases: Record<string, (ctx: Ctx) => Promise<void>> = {
  CompleteProconnectSignUp: async ({ page, js }) => {
    await pendingProConnectIdentity(page, "formulaires-proconnect@example.gouv.fr");
    await page.goto("/inscription/proconnect");
    await waitForHydration(page, js);
    await expect(page.getByText("Agent Formulaires")).toBeVisible();
    await page.selectOption("#region", "11");
    await submit(page, "Créer mon compte");
    await expectBackInPage(page, "/inscription/proconnect");
    await expectSummary(page, [/structure/i]);
    await expectFieldMessage(page, "structure", /structure/i);
    await expect(page.locator("#region")).toHaveValue("11");
    expect(sql("SELECT count(*) FROM accounts WHERE email = 'formulaires-proconnect@example.gouv.fr'")).toBe("0");
  },
  LinkProconnect: async ({ page, js }) => {
    await pendingProConnectIdentity(page, ORGANIZER.email);
    await page.goto("/connexion/proconnect/lier");
    await waitForHydration(page, js);
    await page.fill("#mot_de_passe", "pas-le-bon-mot-de-passe");
    await submit(page, "Relier mon compte et me connecter");
    await expectBackInPage(page, "/connexion/proconnect/lier");
    await expectFieldMessage(page, "mot_de_passe", /Mot de passe incorrect/);
    await expect(page.locator("#mot_de_passe")).toHaveValue("");
    sqlExec(`DELETE FROM sign_in_attempts WHERE email = '${ORGANIZER.email}'`);
  },
  SignIn: async ({ page, js }) => {
    const email = "inconnue-formulaires@example.org";
    try {
      await page.goto("/connexion");
      await waitForHydration(page, js);
      await page.fill("#email", email);
      await page.fill("#password", "mauvais-mot-de-passe");
      await submit(page, "Se connecter");
      await expectBackInPage(page, "/connexion");
      await expect(page.locator("body")).toContainText("Adresse électronique ou mot de passe incorrect.");
      await expect(page.locator("#email")).toHaveValue(email);
      await expect(page.locator("#password")).toHaveValue("");
    } finally {
      sqlExec(`DELETE FROM sign_in_attempts WHERE email = '${email}'`);
    }
  },
  SignUp: async ({ page, js }) => {
    await page.goto("/inscription");
    await waitForHydration(page, js);
    await page.fill("#name", "Ana Typée");
    await page.fill("#email", "pas-une-adresse");
    await page.fill("#password", "court");
    await page.selectOption("#region", "11");
    await submit(page, "Créer mon compte");
    await expectBackInPage(page, "/inscription");
    await expectSummary(page, [/adresse/i]);
    await expectFieldMessage(page, "email", /.+/);
    await expect(page.locator("#name")).toHaveValue("Ana Typée");
    await expect(page.locator("#email")).toHaveValue("pas-une-adresse");
    await expect(page.locator("#region")).toHaveValue("11");
    await expect(page.locator("#password")).toHaveValue("");
  },
  ConfirmEmail: async ({ page, js }) => {
    await page.goto("/confirmation?jeton=faux");
    await waitForHydration(page, js);
    await submit(page, "Confirmer mon adresse");
    await expectBackInPage(page, "/confirmation");
    await expectSummary(page, [/lien/i]);
    expect(new URL(page.url()).searchParams.get("jeton")).toBe("faux");
  },
  RequestPasswordReset: async ({ page, js }) => {
    await page.goto("/mot-de-passe-oublie");
    await waitForHydration(page, js);
    await page.fill("#email", "pas-une-adresse");
    await submit(page, "Recevoir le lien");
    await expectBackInPage(page, "/mot-de-passe-oublie");
    await expectSummary(page, [/.+/]);
    await expectFieldMessage(page, "email", /.+/);
    await expect(page.locator("#email")).toHaveValue("pas-une-adresse");
  },
  ResetPassword: async ({ page, js }) => {
    await page.goto("/mot-de-passe/nouveau?jeton=faux");
    await waitForHydration(page, js);
    await page.fill("#password", "court");
    await submit(page, "Enregistrer le mot de passe");
    await expectBackInPage(page, "/mot-de-passe/nouveau");
    await expectSummary(page, [/.+/]);
    await expect(page.locator("#password")).toHaveValue("");
  },
  // Nothing to get wrong: it signs out and goes home, never to a JSON body.
  SignOut: async ({ page, js }) => {
    await signInAs(page, js, ORGANIZER);
    await page.goto("/compte");
    await submit(page, "Se déconnecter");
    await page.waitForURL((url) => url.pathname === "/");
    expect((await page.locator("body").innerText()).trim().startsWith("{")).toBe(false);
  },
  VerifySecondFactor: async ({ page, js }) => {
    await page.goto("/connexion");
    await waitForHydration(page, js);
    await page.fill("#email", MODERATOR.email);
    await page.fill("#password", MODERATOR.password);
    await submit(page, "Se connecter");
    await page.waitForURL(/\/connexion\/code/);
    await waitForHydration(page, js);
    await page.fill("#code", "000000");
    await submit(page, "Valider");
    await expectBackInPage(page, "/connexion/code");
    await expectFieldMessage(page, "code", /.+/);
    await expect(page.locator("#code")).toHaveValue("");
  },
  ChangePassword: async ({ page, js }) => {
    await signInAs(page, js, ORGANIZER);
    await page.goto("/compte");
    await page.fill("#actuel", "mauvais-mot-de-passe");
    await page.fill("#nouveau", "court");
    await submit(page, "Changer le mot de passe");
    await expectBackInPage(page, "/compte");
    await expectSummary(page, [/.+/]);
    await expect(page.locator("#actuel")).toHaveValue("");
    await expect(page.locator("#nouveau")).toHaveValue("");
  },
  ChangeEmail: async ({ page, js }) => {
    await signInAs(page, js, ORGANIZER);
    await page.goto("/compte");
    await page.fill("#email", "adresse-typee");
    await page.fill("#mot_de_passe", "mauvais-mot-de-passe");
    await submit(page, "Changer l'adresse");
    await expectBackInPage(page, "/compte");
    await expectSummary(page, [/.+/]);
    await expect(page.locator("#email")).toHaveValue("adresse-typee");
    await expect(page.locator("#mot_de_passe")).toHaveValue("");
    // The other form of the page is not in error.
    await expect(page.locator("#actuel")).not.toHaveAttribute("aria-invalid", "true");
  },
  // 409: the event changed since the page was opened.
  ChangeEventStatus: async ({ page, js }) => {
    await signInAs(page, js, ORGANIZER);
    const id = ORGANIZER_EVENT();
    await page.goto(`/organisateur/evenements/${id}`);
    await waitForHydration(page, js);
    sqlExec(`UPDATE events SET version = version + 1 WHERE id = ${id}`);
    await submit(page, /^(Annuler l'événement|Supprimer le brouillon)$/);
    await expect(page.locator("[data-form-error]").first()).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(`/organisateur/evenements/${id}`);
    expect(sql(`SELECT status FROM events WHERE id = ${id}`)).not.toBe("cancelled");
  },
  // The event form: an island that also posts as a plain form (no JavaScript, or before its
  // code has arrived). A mistake comes back with everything typed; the fix saves one draft.
  SaveEventForm: async ({ page, js }) => {
    await signInAs(page, js, ORGANIZER);
    await page.goto("/organisateur/evenements/nouveau");
    await waitForHydration(page, js);
    // The demo's referencing window closed on 29 October: opened for this case.
    sqlExec("UPDATE editions SET referencing_closes_on = '2026-11-30' WHERE year = 2026");
    try {
      await saveEventForm(page, js);
    } finally {
      sqlExec("UPDATE editions SET referencing_closes_on = '2026-10-29' WHERE year = 2026");
    }
  },
  // 404: the message to send again was deleted after the page was shown; the page says so.
  ResendMail: async ({ page, js }) => {
    sqlExec(
      "INSERT INTO outbox (recipient, subject, body, created_at, error, state, attempts, queued_at, message_id) " +
        "VALUES ('destinataire@example.org', 'Message du test', 'Bonjour', '2026-11-10T08:00:00Z', " +
        "'550 boîte inconnue', 'failed', 1, '2026-11-10T08:00:00Z', '<test-renvoi@example.org>')",
    );
    const id = sql("SELECT max(id) FROM outbox");
    await signInAs(page, js, ADMIN);
    await page.goto("/admin/courriels");
    await waitForHydration(page, js);
    const row = page.locator(`[data-mail="${id}"]`);
    await expect(row).toContainText("550 boîte inconnue");
    sqlExec(`DELETE FROM outbox WHERE id = ${id}`);
    await row.getByRole("button", { name: /Renvoyer/ }).click();
    await expectBackInPage(page, "/admin/courriels");
    await expect(page.locator("[data-form-error]").first()).toBeVisible();
    expect(sql(`SELECT count(*) FROM outbox WHERE id = ${id}`)).toBe("0");
  },
  // 404: the event to copy is no longer the organizer's.
  DuplicateEvent: async ({ page, js }) => {
    await signInAs(page, js, ORGANIZER);
    const row = page.locator("[data-past-event]").first();
    const id = await row.getAttribute("data-past-event");
    const owner = sql(`SELECT organizer_id FROM events WHERE id = ${id}`);
    const admin = sql(`SELECT id FROM accounts WHERE email = '${ADMIN.email}'`);
    const before = sql("SELECT count(*) FROM events");
    try {
      sqlExec(`UPDATE events SET organizer_id = ${admin} WHERE id = ${id}`);
      await row.getByRole("button").click();
      await expectBackInPage(page, "/organisateur");
      // Refused (its row is gone, the event being no longer the organizer's; or the
      // referencing is closed): the reason is said at the top.
      await expect(page.locator("[data-form-error]").first()).toContainText(/existe pas|clos/);
      expect(sql("SELECT count(*) FROM events")).toBe(before);
    } finally {
      sqlExec(`UPDATE events SET organizer_id = ${owner} WHERE id = ${id}`);
    }
  },
  ModerateEvent: async ({ page, js }) => {
    await signInAs(page, js, MODERATOR);
    const id = sql("SELECT id FROM events WHERE status = 'submitted' ORDER BY id LIMIT 1");
    await page.goto(`/moderation/evenements/${id}`);
    await waitForHydration(page, js);
    await submit(page, "Refuser");
    await expectBackInPage(page, `/moderation/evenements/${id}`);
    await expectSummary(page, [/.+/]);
    await expectFieldMessage(page, "message-refus", /.+/);
    // Only the form that was sent is in error (three forms post the same function).
    await expect(page.locator("#message-modifications")).not.toHaveAttribute("aria-invalid", "true");
    expect(sql(`SELECT status FROM events WHERE id = ${id}`)).toBe("submitted");
  },
  BulkPublish: async ({ page, js }) => {
    await signInAs(page, js, MODERATOR);
    await page.goto("/moderation");
    await waitForHydration(page, js);
    await submit(page, "Publier la sélection");
    await expectBackInPage(page, "/moderation");
    await expectSummary(page, [/.+/]);
  },
  SaveEdition: async ({ page, js }) => {
    await signInAs(page, js, ADMIN);
    await page.goto("/admin");
    await waitForHydration(page, js);
    await page.fill("#year", "2031");
    await page.fill("#ordinal", "");
    await page.fill("#tagline", "Accroche tapée");
    await page.fill("#starts_on", "2031-11-02");
    await page.locator("#archive").check({ force: true });
    await submit(page, "Enregistrer l'édition");
    await expectBackInPage(page, "/admin");
    await expectSummary(page, [/.+/]);
    await expect(page.locator("#year")).toHaveValue("2031");
    await expect(page.locator("#tagline")).toHaveValue("Accroche tapée");
    await expect(page.locator("#starts_on")).toHaveValue("2031-11-02");
    await expect(page.locator("#archive")).toBeChecked();
    expect(sql("SELECT count(*) FROM editions WHERE year = 2031")).toBe("0");
  },
  ChangeVocabulary: async ({ page, js }) => {
    await signInAs(page, js, ADMIN);
    await page.goto("/admin/vocabulaires");
    await waitForHydration(page, js);
    await submit(page, "Ajouter");
    await expectBackInPage(page, "/admin/vocabulaires");
    await expectSummary(page, [/.+/]);
    await expectFieldMessage(page, "libelle", /.+/);
    // The rows' forms (the same function) are not in error.
    await expect(page.locator("[data-error-summary]")).toHaveCount(1);
  },
  // 409: the account changed since the page was opened; what was chosen stays chosen.
  UpdateAccount: async ({ page, js }) => {
    await signInAs(page, js, ADMIN);
    await page.goto("/admin/comptes");
    await waitForHydration(page, js);
    const row = page.locator(`tr[data-account="${ORGANIZER.email}"]`);
    await row.locator("select").selectOption("moderator");
    await row.locator("input[type=checkbox]").check({ force: true });
    sqlExec(`UPDATE accounts SET version = version + 1 WHERE email = '${ORGANIZER.email}'`);
    await row.getByRole("button", { name: /Enregistrer/ }).click();
    await expectBackInPage(page, "/admin/comptes");
    const back = page.locator(`tr[data-account="${ORGANIZER.email}"]`);
    await expect(back.locator("[data-form-error]")).toContainText(/modifi/i);
    await expect(back.locator("select")).toHaveValue("moderator");
    await expect(back.locator("input[type=checkbox]")).toBeChecked();
    expect(sql(`SELECT role || coalesce(disabled_at, '') FROM accounts WHERE email = '${ORGANIZER.email}'`)).toBe("organizer");
  },
  // An empty submission (no file, nothing pasted).
  ImportEvents: async ({ page, js }) => {
    await signInAs(page, js, ADMIN);
    await page.goto("/admin/import");
    await waitForHydration(page, js);
    await submit(page, "Vérifier le fichier");
    await expectBackInPage(page, "/admin/import");
  },
  // 403: the confirmation of a checked file by an administrator whose role was withdrawn.
  ConfirmImport: async ({ page, js }) => {
    await signInAs(page, js, ADMIN);
    const exported = await (await page.request.get("/admin/export/evenements.csv")).text();
    const [columns, cells] = csvRecords(exported.replace(/^\uFEFF/, ""), 2);
    const key = columns.indexOf("identifiant");
    expect(key, "the export has an « identifiant » column").toBeGreaterThanOrEqual(0);
    cells[key] = `e2e-formulaires-${js ? "js" : "sans-js"}`;
    const line = (record: string[]) => record.map((c) => `"${c.replace(/"/g, '""')}"`).join(",");
    const csv = [line(columns), line(cells)].join("\n");
    await page.goto("/admin/import");
    await waitForHydration(page, js);
    await page.fill("#csv", csv);
    await submit(page, "Vérifier le fichier");
    const confirm = page.locator("[data-import-confirm]");
    await expect(confirm).toBeVisible();
    const before = sql("SELECT count(*) FROM events");
    try {
      sqlExec(`UPDATE accounts SET role = 'moderator' WHERE email = '${ADMIN.email}'`);
      await confirm.click();
      await expectBackInPage(page, "/admin/import");
      await expect(page.locator(PAGE_REFUSED)).toContainText("droits");
    } finally {
      sqlExec(`UPDATE accounts SET role = 'admin' WHERE email = '${ADMIN.email}'`);
    }
    expect(sql("SELECT count(*) FROM events")).toBe(before);
  },
  // 403: freezing a report after the administrator's role was withdrawn; said in its row.
  FreezeReport: async ({ page, js }) => {
    await signInAs(page, js, ADMIN);
    await page.goto("/admin");
    await waitForHydration(page, js);
    const row = page.locator("tr[data-edition]").first();
    const year = await row.getAttribute("data-edition");
    try {
      sqlExec(`UPDATE accounts SET role = 'moderator' WHERE email = '${ADMIN.email}'`);
      await row.locator("button[name=action]").first().click();
      await expectBackInPage(page, "/admin");
      await expect(page.locator(PAGE_REFUSED)).toContainText("droits");
    } finally {
      sqlExec(`UPDATE accounts SET role = 'admin' WHERE email = '${ADMIN.email}'`);
    }
  },
  SaveLab: async ({ page, js }) => {
    await signInAs(page, js, ADMIN);
    await page.goto("/admin/labs");
    await waitForHydration(page, js);
    await page.fill("#city", "Lyon");
    await page.fill("#description", "Une description\ntapée sur deux lignes");
    await submit(page, "Enregistrer le laboratoire");
    await expectBackInPage(page, "/admin/labs");
    await expectSummary(page, [/.+/]);
    await expectFieldMessage(page, "name", /.+/);
    await expect(page.locator("#city")).toHaveValue("Lyon");
    await expect(page.locator("#description")).toHaveValue("Une description\ntapée sur deux lignes");
  },
};

test("every form of the site has its case here", () => {
  const missing = [...formsInSource()].filter((name) => !(name in cases));
  expect(missing, "forms without a case in forms.spec.ts").toEqual([]);
});

for (const [name, run] of Object.entries(cases)) {
  test(`${name}: a mistake comes back to its page, typed values kept, no JSON`, async ({ page }, testInfo) => {
    await run({ page, js: testInfo.project.use.javaScriptEnabled !== false });
  });
}

test("the event form keeps what was typed and shows the summary (JavaScript: the form is an island)", async ({ page }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  await signInAs(page, js, ORGANIZER);
  await page.goto("/organisateur/evenements/nouveau");
  // Without JavaScript, the same form posts as a plain form: see its case, SaveEventForm.
  test.skip(!js, "the island's own behaviour");
  await waitForHydration(page, js);
  await page.fill("#summary", "Un résumé tapé");
  await page.locator("#mode-en_ligne").check({ force: true });
  await page.locator("#hors-periode").check({ force: true });
  await page.fill("#accessibility", "Sous-titres\net LSF");
  const format = await page.locator("#format option").nth(1).getAttribute("value");
  await page.selectOption("#format", format!);
  await submit(page, "Soumettre pour publication");
  await expectSummary(page, [/titre/i]);
  await expect(page.locator("#summary")).toHaveValue("Un résumé tapé");
  await expect(page.locator("#mode-en_ligne")).toBeChecked();
  await expect(page.locator("#hors-periode")).toBeChecked();
  await expect(page.locator("#accessibility")).toHaveValue("Sous-titres\net LSF");
  await expect(page.locator("#format")).toHaveValue(format!);
});

test.describe("errors that are about no field, posted from a page", () => {
  test("422: an invisible control character comes back on its field, the text kept without it", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    await page.goto("/mot-de-passe-oublie");
    await waitForHydration(page, js);
    await page.fill("#email", "ana\u0001@example.org");
    await submit(page, "Recevoir le lien");
    await expectBackInPage(page, "/mot-de-passe-oublie");
    await expectFieldMessage(page, "email", /caractère invisible/);
    await expect(page.locator("#email")).toHaveValue("ana@example.org");
  });

  test("413: a text too large comes back to its page with the limit", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    await signInAs(page, js, ADMIN);
    await page.goto("/admin/labs");
    await waitForHydration(page, js);
    await page.fill("#description", "x".repeat(300 * 1024));
    await submit(page, "Enregistrer le laboratoire");
    await expectBackInPage(page, "/admin/labs");
    await expect(page.locator("[data-form-error]").first()).toContainText("taille maximale");
  });

  test("403: an administrator whose role was withdrawn meanwhile reads it in the page", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    await signInAs(page, js, ADMIN);
    await page.goto("/admin/labs");
    await waitForHydration(page, js);
    await page.fill("#name", "Lab du test 403");
    try {
      sqlExec(`UPDATE accounts SET role = 'moderator' WHERE email = '${ADMIN.email}'`);
      await submit(page, "Enregistrer le laboratoire");
      await expectBackInPage(page, "/admin/labs");
      await expect(page.locator(PAGE_REFUSED)).toContainText("droits");
    } finally {
      sqlExec(`UPDATE accounts SET role = 'admin' WHERE email = '${ADMIN.email}'`);
    }
    expect(sql("SELECT count(*) FROM labs WHERE name = 'Lab du test 403'")).toBe("0");
  });

  test("429: too many sign-in attempts, said on the sign-in page", async ({ page }, testInfo) => {
    const js = testInfo.project.use.javaScriptEnabled !== false;
    const email = "trop-de-tentatives@example.org";
    try {
      // Earlier failures of this address from this browser (the server's clock stands still).
      for (let i = 0; i < 5; i++) {
        sqlExec(
          `INSERT INTO sign_in_attempts (email, ip, at, state) VALUES ('${email}', '127.0.0.1', ` +
            `'2026-11-10T07:59:0${i}Z', 'failed')`,
        );
      }
      await page.goto("/connexion");
      await waitForHydration(page, js);
      await page.fill("#email", email);
      await page.fill("#password", "peu-importe");
      await submit(page, "Se connecter");
      await expectBackInPage(page, "/connexion");
      await expect(page.locator("[data-form-error]").first()).toContainText("Trop de tentatives");
      await expect(page.locator("#email")).toHaveValue(email);
    } finally {
      sqlExec(`DELETE FROM sign_in_attempts WHERE email = '${email}'`);
    }
  });
});
