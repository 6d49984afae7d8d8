import { expect, test, type Page } from "@playwright/test";
import { waitForHydration } from "./support";

// Every public page with islands hydrates without an error in the console: a hydration
// mismatch (the browser's first render differing from the server's HTML) shows up there
// first, often before anything looks broken.
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

test("the public pages hydrate without a console error, save buttons included", async ({ page }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "hydration needs JavaScript");
  const errors = collectErrors(page);

  await page.goto("/");
  await waitForHydration(page, true);
  const save = page.getByRole("button", { name: "Ajouter à mon programme" }).first();
  await expect(save).toBeVisible();
  await save.click();
  await expect(page.getByRole("button", { name: "Dans mon programme" })).toHaveCount(1);

  // The programme's cards: their save buttons belong to the programme's island, and appear
  // once it is hydrated, the one saved above already pressed.
  await page.goto("/programme?q=" + encodeURIComponent(await savedTitle(page)));
  await waitForHydration(page, true);
  await expect(page.getByRole("button", { name: "Dans mon programme" })).toHaveCount(1);
  // New cards built by a filter change, in the browser.
  await page.getByLabel(/^Rechercher/).fill("atelier");
  await expect(page.getByRole("button", { name: "Ajouter à mon programme" }).first()).toBeVisible();

  const event = await page.locator(".fr-card__title a").first().getAttribute("href");
  await page.goto(event!);
  await waitForHydration(page, true);
  await expect(page.getByRole("button", { name: /mon programme/ }).first()).toBeVisible();

  await page.goto("/mon-programme");
  await waitForHydration(page, true);
  await expect(page.getByText("1 événement", { exact: true })).toBeVisible();

  expect(errors).toEqual([]);
});

async function savedTitle(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(localStorage.getItem("mip.mon-programme.v1") ?? "[]")[0].title);
}
