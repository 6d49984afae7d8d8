import { expect, test, type Page } from "@playwright/test";
import { proconnectIssuer } from "../playwright.config";
import { demoAccount } from "./support";

// Sign-in with ProConnect in Chromium, against a real OpenID provider playing ProConnect
// (end2end/oidc/provider.mjs, started by playwright.config.ts): its own login page, its
// signed userinfo, its end-session endpoint. Plain forms and links all the way, so one
// project is enough for the whole path; the failure messages are checked in both.

const NEW_AGENT = "agent.nouveau@example.gouv.fr";

async function mischief(mode: string) {
  const response = await fetch(`${proconnectIssuer}/__test/mischief`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mode }),
  });
  expect(response.ok).toBeTruthy();
}

/** The site's button, then ProConnect's login page, signed in as `email`. */
async function throughProConnect(page: Page, email: string) {
  await page.goto("/connexion");
  await page.getByRole("link", { name: /S’identifier avec\s*ProConnect/ }).click();
  await expect(page).toHaveURL(new RegExp(`^${proconnectIssuer}/interaction/`));
  await page.locator("#email").fill(email);
  await page.locator("#password").fill("proconnect");
  await page.getByRole("button", { name: "Se connecter" }).click();
}

test.afterEach(async () => {
  await mischief("none");
});

test("a first sign-in with ProConnect creates the account, sign-out ends both sessions", async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name !== "avec-js", "one account: the whole path once");
  await throughProConnect(page, NEW_AGENT);
  await expect(page).toHaveURL(/\/inscription\/proconnect$/);
  await expect(page.getByText("Camille Martin")).toBeVisible();
  await expect(page.getByText(NEW_AGENT)).toBeVisible();
  // What ProConnect does not know is asked; a mistake comes back on its field.
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(page.locator("#structure-messages")).toContainText("Indiquez votre structure");
  await page.getByLabel("Nom de la structure").fill("Préfecture de la Gironde");
  await page.getByLabel("Type de structure").selectOption({ index: 1 });
  await page.getByLabel("Région").selectOption({ label: "Nouvelle-Aquitaine" });
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(page).toHaveURL(/\/organisateur$/);
  await expect(page.getByText("Camille Martin").first()).toBeVisible();

  // Sign-out: the site's session ends, then ProConnect's (with the ID token as its hint).
  await page.getByRole("button", { name: "Se déconnecter" }).first().click();
  await expect(page).toHaveURL(/\/connexion\?proconnect=deconnecte$/);
  await expect(page.getByText("Vous êtes déconnecté de la plateforme et de ProConnect.")).toBeVisible();
  const logout = await (await fetch(`${proconnectIssuer}/__test/last-logout`)).json();
  expect(logout.received).toBe(true);
  expect(logout.id_token_hint_present).toBe(true);
  await page.goto("/organisateur");
  await expect(page.getByRole("heading", { name: "Connexion requise" })).toBeVisible();

  // ProConnect asks again (its session is over), and the account signs in at once.
  await throughProConnect(page, NEW_AGENT);
  await expect(page).toHaveURL(/\/organisateur$/);
});

test("an existing account is linked to ProConnect with its password, once", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "avec-js", "one link: the whole path once");
  const organizer = demoAccount("organizer");
  await throughProConnect(page, organizer.email);
  await expect(page).toHaveURL(/\/connexion\/proconnect\/lier$/);
  await expect(page.getByText(organizer.email)).toBeVisible();
  await page.getByLabel("Mot de passe de votre compte").fill("pas le bon mot de passe");
  await page.getByRole("button", { name: "Relier mon compte et me connecter" }).click();
  await expect(page.locator("#mot_de_passe-messages")).toContainText("Mot de passe incorrect.");
  await page.getByLabel("Mot de passe de votre compte").fill(organizer.password);
  await page.getByRole("button", { name: "Relier mon compte et me connecter" }).click();
  await expect(page).toHaveURL(/\/organisateur$/);
});

for (const [mode, message] of [
  ["cancel", "Vous avez annulé la connexion avec ProConnect."],
  ["bad_userinfo_signature", "La réponse de ProConnect n'a pas pu être vérifiée"],
  ["expired_id_token", "La réponse de ProConnect a expiré"],
]) {
  test(`a failed sign-in with ProConnect (${mode}) ends on the sign-in page with its message`, async ({
    page,
  }) => {
    // « Annuler » on ProConnect's own page; the other failures are made by the provider.
    if (mode !== "cancel") await mischief(mode);
    if (mode === "cancel") {
      await page.goto("/connexion");
      await page.getByRole("link", { name: /S’identifier avec\s*ProConnect/ }).click();
      await page.getByRole("link", { name: "Annuler" }).click();
    } else {
      await throughProConnect(page, NEW_AGENT);
    }
    await expect(page).toHaveURL(/\/connexion\?proconnect=/);
    await expect(page.getByRole("alert")).toContainText(message);
    await page.goto("/organisateur");
    await expect(page.getByRole("heading", { name: "Connexion requise" })).toBeVisible();
  });
}
