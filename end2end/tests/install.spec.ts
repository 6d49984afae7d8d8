// Issue 25, « installable »: the web app manifest, parsed and checked (fields, icons that exist
// at their sizes), Chromium's own installability check (`Page.getInstallabilityErrors`
// through CDP) with nothing to report, the apple-touch-icon, and `storage.persist()` asked
// when a visitor saves an event to « Mon programme ».
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, expect, test } from "@playwright/test";
import { waitForHydration } from "./support";

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString("latin1"), "a PNG").toBe("PNG");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test("the manifest says what to install, and its icons are there at their sizes", async ({ request }) => {
  const response = await request.get("/manifest.webmanifest");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/manifest+json");
  const manifest = await response.json();
  expect(manifest).toMatchObject({
    name: "Mois de l'innovation publique",
    lang: "fr",
    start_url: "/programme",
    display: "standalone",
    theme_color: "#000091",
    background_color: "#ffffff",
  });
  expect(manifest.short_name.length, "a short name fits under an icon").toBeLessThanOrEqual(12);
  const purposes = new Set<string>();
  for (const icon of manifest.icons) {
    const file = await request.get(icon.src);
    expect(file.status(), icon.src).toBe(200);
    expect(file.headers()["content-type"]).toContain(icon.type);
    if (icon.type === "image/png") {
      const [width, height] = pngSize(await file.body());
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
      purposes.add(`${icon.purpose} ${icon.sizes}`);
    }
  }
  expect([...purposes].sort()).toEqual(["any 192x192", "any 512x512", "maskable 512x512"]);
  const touch = await request.get("/pwa/apple-touch-icon.png");
  expect(pngSize(await touch.body())).toEqual([180, 180]);
});

test("every page names the manifest, the touch icon and the theme colour", async ({ page }) => {
  for (const url of ["/", "/programme", "/mon-programme", "/connexion"]) {
    await page.goto(url);
    await expect(page.locator('head link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
    await expect(page.locator('head link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/pwa/apple-touch-icon.png");
    await expect(page.locator('head meta[name="theme-color"]')).toHaveAttribute("content", "#000091");
  }
});

test.describe("with JavaScript", () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, "service worker and storage need JavaScript");

  test("Chromium finds the site installable", async ({ browserName }, testInfo) => {
    // A browser profile of its own: Playwright's contexts are incognito, where Chromium
    // installs nothing (« in-incognito »).
    const profile = mkdtempSync(path.join(os.tmpdir(), "mip-install-"));
    const launch = testInfo.project.use.launchOptions ?? {};
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: launch.executablePath,
      args: launch.args,
      baseURL: testInfo.project.use.baseURL,
    });
    try {
      expect(browserName).toBe("chromium");
      const page = await context.newPage();
      await page.goto("/programme");
      await waitForHydration(page, true);
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      const cdp = await context.newCDPSession(page);
      const { errors } = await cdp.send("Page.getAppManifest");
      expect(errors).toEqual([]);
      const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test("saving an event asks the browser to keep the site's storage", async ({ page }) => {
    await page.addInitScript(() => {
      const storage = navigator.storage;
      const persist = storage.persist.bind(storage);
      (window as any).__persistAsked = 0;
      storage.persist = () => {
        (window as any).__persistAsked++;
        return persist();
      };
    });
    await page.goto("/programme");
    await waitForHydration(page, true);
    await page.getByRole("button", { name: /Ajouter .* mon programme/ }).first().click();
    await expect.poll(() => page.evaluate(() => (window as any).__persistAsked)).toBeGreaterThanOrEqual(1);
  });
});
