import { chromium } from "@playwright/test";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
for (const [name, width, height] of [["phone", 390, 844], ["desktop", 1280, 900]]) {
  const page = await browser.newPage({ viewport: { width, height }, locale: "fr-FR" });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto("http://127.0.0.1:3300/connexion");
  await page.fill("#email", "nouvelle.admin@example.org");
  await page.fill("#password", "une phrase de passe de la nouvelle admin");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForURL(/connexion\/code/);
  await page.screenshot({ path: `/tmp/dbg/code-${name}.png`, fullPage: true });
  await page.fill("#code", "000000");
  await page.getByRole("button", { name: "Valider" }).click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/dbg/code-wrong-${name}.png`, fullPage: false });
  console.log(name, page.url(), errors);
  await page.close();
}
await browser.close();
