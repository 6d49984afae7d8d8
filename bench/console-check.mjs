import { chromium } from "playwright-core";
const url = process.argv[2];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
for (const [name, viewport] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 900 }]]) {
  const page = await browser.newPage({ viewport });
  const messages = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") messages.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.__mipHydrated === true, null, { timeout: 60000 });
  await page.getByLabel(/^Rechercher/).fill("atelier");
  await page.waitForTimeout(500);
  await page.screenshot({ path: `/tmp/programme-${name}.png` });
  console.log(name, "count:", await page.locator("#nombre-resultats").innerText(), "messages:", messages);
  await page.close();
}
await browser.close();
