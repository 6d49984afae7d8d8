// Measures, in headless Chromium, a filter change on /programme at 3 moments: typing in the
// search box, ticking a theme, ticking a region (every filter group open, so that all their
// counts are laid out too). For each change:
// - count: from the event to the updated count in the DOM (the handler's run);
// - work: the main thread's time that the change costs before its frame is on screen: the
//   handler, plus the rendering of the next frame (style, layout, paint, from the frame's
//   start to the task after it). The wait for the display's next frame in between is left
//   out: it is not work, and any change waits for it (see « floor »). One frame's budget is
//   16 ms: a change that costs less is on screen at the next frame;
// - frame: from the event to the task after the next painted frame, waiting included;
// - next: the frame after that one, where `client.rs` writes the list's cards below the
//   screen, at its start, and the browser draws them (script, style, layout, paint).
// Prints the medians and the 90th percentiles over repeated changes.
// Each figure is printed beside its ceiling on stderr (bench/filter-table.mjs), the JSON on
// stdout.
import { openProgramme } from "./programme-page.mjs";
import { CEILINGS, lines } from "./filter-table.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3200";
const repeats = Number(process.argv[3] ?? 15);
const { browser, page, loadMs } = await openProgramme(base);
const total = await page.textContent("#nombre-resultats");

// One change, timed inside the page: the handler, the count's update, then the frame that
// draws the change and the one after it (where `client.rs` writes the list's cards below the
// screen and the form's counts, at its start), timed by `nextFrames` (programme-page.mjs).
async function timed(action) {
  return page.evaluate(async (action) => {
    const count = document.querySelector("#nombre-resultats");
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => { observer.disconnect(); resolve(); });
      observer.observe(count, { childList: true, subtree: true, characterData: true });
    });
    const { drawn, next } = window.__benchFrames();
    const t0 = performance.now();
    if (action.kind === "text") {
      const input = document.querySelector("#recherche");
      input.value = action.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    } else {
      document.getElementById(action.id).click();
    }
    const handled = performance.now() - t0;
    await changed;
    const counted = performance.now() - t0;
    const rendering = await drawn;
    const total = performance.now() - t0;
    return { frame: total, count: counted, work: handled + rendering, next: await next };
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
  const runs = [];
  for (let i = 0; i < repeats; i++) runs.push(await timed(make(i)));
  const sorted = (k) => runs.map((r) => r[k]).sort((a, b) => a - b);
  const median = (k) => sorted(k)[Math.floor(runs.length / 2)];
  const p90 = (k) => sorted(k)[Math.floor(runs.length * 0.9)];
  results[name] = {
    median: median("frame"),
    p90: p90("frame"),
    countMedian: median("count"),
    workMedian: median("work"),
    workP90: p90("work"),
    nextMedian: median("next"),
  };
  // Reset between scenarios.
  await page.goto(`${base}/programme`);
  await page.waitForFunction(() => window.__mipHydrated === true, null, { timeout: 300_000 });
}
await browser.close();
const measured = { total, loadMs, floorMs, ceilings: CEILINGS, results };
for (const line of lines(measured)) console.error(`${total}: ${line}`);
console.log(JSON.stringify(measured));
