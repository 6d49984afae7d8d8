// Measures, in headless Chromium, the time from a filter change on /programme to the next
// painted frame with the updated list: typing in the search box, ticking a theme, ticking a
// region. Prints the median and the 90th percentile over repeated changes.
// Usage: node bench/filter-latency.mjs http://127.0.0.1:3200 [repeats]
import { openProgramme } from "./programme-page.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3200";
const repeats = Number(process.argv[3] ?? 15);
const { browser, page, loadMs } = await openProgramme(base);
const total = await page.textContent("#nombre-resultats");

// One change, timed inside the page: from the event to the frame after the count changed.
async function timed(action) {
  return page.evaluate(async (action) => {
    const count = document.querySelector("#nombre-resultats");
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => { observer.disconnect(); resolve(); });
      observer.observe(count, { childList: true, subtree: true, characterData: true });
    });
    const t0 = performance.now();
    if (action.kind === "text") {
      const input = document.querySelector("#recherche");
      input.value = action.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    } else {
      document.getElementById(action.id).click();
    }
    await changed;
    const counted = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return [performance.now() - t0, counted];
  }, action);
}

// The harness's floor: a trivial DOM change (one text node) to the painted frame.
async function floor() {
  const times = [];
  for (let i = 0; i < 15; i++) {
    times.push(await page.evaluate(async (i) => {
      const probe = document.createElement("span");
      document.body.appendChild(probe);
      const t0 = performance.now();
      probe.textContent = "x" + i;
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      probe.remove();
      return performance.now() - t0;
    }, i));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
const floorMs = await floor();

const scenarios = {
  "texte (frappe)": (i) => ({ kind: "text", value: i % 2 ? "atelier" : "atelier numerique" }),
  "thème (case)": () => ({ kind: "click", id: "theme-coproduction" }),
  "région (case)": () => ({ kind: "click", id: "region-84" }),
};
const results = {};
for (const [name, make] of Object.entries(scenarios)) {
  // Open the filter groups so their boxes are clickable.
  await page.evaluate(() => document.querySelectorAll("details.mip-filter-group").forEach((d) => (d.open = true)));
  const times = [];
  const counted = [];
  for (let i = 0; i < repeats; i++) {
    const [frame, count] = await timed(make(i));
    times.push(frame);
    counted.push(count);
  }
  times.sort((a, b) => a - b);
  counted.sort((a, b) => a - b);
  results[name] = {
    median: times[Math.floor(times.length / 2)],
    p90: times[Math.floor(times.length * 0.9)],
    countMedian: counted[Math.floor(counted.length / 2)],
  };
  // Reset between scenarios.
  await page.goto(`${base}/programme`);
  await page.waitForFunction(() => window.__mipHydrated === true, null, { timeout: 300_000 });
}
await browser.close();
console.log(JSON.stringify({ total, loadMs, floorMs, results }));
