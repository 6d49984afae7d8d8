// What the filter diagnostics share: headless Chromium on a hydrated /programme, and one
// filter change made inside the page.
import { chromium } from "playwright-core";
import fs from "node:fs";

// Opens `${base}/programme` in headless Chromium (Debian's), waits for hydration and adds
// BENCH_EXTRA_CSS if set (to try a style change without a rebuild); BENCH_CSS_FILE, if set,
// is served instead of the app's stylesheet (to compare two stylesheets on the same build). `openGroups` opens every
// filter group, so that their counts are laid out too.
export async function openProgramme(base, { openGroups = false } = {}) {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  if (process.env.BENCH_CSS_FILE) {
    const body = fs.readFileSync(process.env.BENCH_CSS_FILE);
    await page.route("**/pkg/*.css", (route) => route.fulfill({ body, contentType: "text/css" }));
  }
  // In the page (and in every page it opens next) as `window.__benchChange([kind, i])` and
  // `window.__benchFrames()`, for timings taken inside it.
  await page.addInitScript(`window.__benchChange = ${changeFilter.toString()};\nwindow.__benchFrames = ${nextFrames.toString()};`);
  const loadStart = Date.now();
  await page.goto(`${base}/programme`, { timeout: 300_000 });
  await page.waitForFunction(() => window.__mipHydrated === true, null, { timeout: 300_000 });
  const loadMs = Date.now() - loadStart;
  if (openGroups) {
    await page.evaluate(() => document.querySelectorAll("details.mip-filter-group").forEach((d) => (d.open = true)));
  }
  if (process.env.BENCH_EXTRA_CSS) await page.addStyleTag({ content: process.env.BENCH_EXTRA_CSS });
  return { browser, page, loadMs };
}

// The i-th change of a kind, run inside the page (`page.evaluate(changeFilter, [kind, i])`,
// or `window.__benchChange` from an in-page function): the search text alternates between two
// queries, a theme or a region box is ticked then unticked.
export function changeFilter([kind, i]) {
  if (kind === "text") {
    const input = document.querySelector("#recherche");
    input.value = i % 2 ? "atelier" : "atelier numerique";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  } else {
    document.getElementById(kind === "theme" ? "theme-coproduction" : "region-84").click();
  }
}

// Called inside the page just before a change (`window.__benchFrames()`): the time of the
// frame that draws the change and of the frame after it, each from its first animation-frame
// callback (these callbacks, asked for before the change's own, run first in their frames) to
// the task after the frame. `next` resolves after `drawn`.
export function nextFrames() {
  const frame = (start) => new Promise((resolve) => setTimeout(() => resolve(performance.now() - start), 0));
  let next;
  const drawn = new Promise((resolve) => requestAnimationFrame(() => {
    next = new Promise((done) => requestAnimationFrame(() => frame(performance.now()).then(done)));
    frame(performance.now()).then(resolve);
  }));
  return { drawn, next: drawn.then(() => next) };
}
