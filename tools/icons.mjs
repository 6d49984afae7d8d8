// The installed app's icons (web app manifest, apple-touch-icon), drawn from the project's
// own SVGs by Debian's Chromium, so that they are made again by one command when the SVGs
// change:   node tools/icons.mjs
// `icon.svg` is the favicon's drawing (rounded square); `icon-maskable.svg` fills the whole
// square and keeps the letter inside the central safe zone (a circle of 80 % of the width),
// since a phone cuts maskable icons to its own shape (iOS does the same to apple-touch-icon).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../public/pwa");
const icons = [
  ["icon.svg", 192, "icon-192.png"],
  ["icon.svg", 512, "icon-512.png"],
  ["icon-maskable.svg", 512, "icon-maskable-512.png"],
  ["icon-maskable.svg", 180, "apple-touch-icon.png"],
];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
for (const [svg, size, png] of icons) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const data = readFileSync(path.join(dir, svg)).toString("base64");
  await page.setContent(
    `<html><body style="margin:0;background:transparent"><img style="display:block" width="${size}" height="${size}" src="data:image/svg+xml;base64,${data}"></body></html>`,
  );
  await page.screenshot({ path: path.join(dir, png), omitBackground: true });
  await page.close();
  console.log(`${png}: ${size}×${size}`);
}
await browser.close();
