// Diagnostic (not part of the benchmark table): records a Chromium trace of filter changes
// on /programme and prints where the main thread's time goes (script, style, layout, paint…)
// between the change and the next painted frame.
// Usage: node bench/trace-filter.mjs http://127.0.0.1:3200 [text|theme|region]
import { openProgramme } from "./programme-page.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3200";
const kind = process.argv[3] ?? "text";
const { browser, page } = await openProgramme(base, { openGroups: true });
await page.waitForTimeout(300);

await browser.startTracing(page, {
  categories: ["devtools.timeline", "blink.user_timing", "disabled-by-default-devtools.timeline", "blink", "cc", "v8.execute"],
});
const spans = [];
for (let i = 0; i < 8; i++) {
  spans.push(await page.evaluate(async ([kind, i]) => {
    const t0 = performance.now();
    performance.mark("change-start");
    window.__benchChange([kind, i]);
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    performance.mark("change-end");
    return performance.now() - t0;
  }, [kind, i]));
  await page.waitForTimeout(100);
}
const trace = JSON.parse((await browser.stopTracing()).toString());
await browser.close();

const events = trace.traceEvents;
const marks = events.filter((e) => e.name === "change-start" || e.name === "change-end").sort((a, b) => a.ts - b.ts);
const main = events.find((e) => e.name === "change-start");
const totals = {};
let windows = [];
for (let i = 0; i + 1 < marks.length; i += 2) windows.push([marks[i].ts, marks[i + 1].ts]);
for (const e of events) {
  if (e.ph !== "X" || !e.dur || e.pid !== main.pid) continue;
  if (!windows.some(([a, b]) => e.ts >= a && e.ts <= b)) continue;
  const key = `${e.tid === main.tid ? "main" : "other"}:${e.name}`;
  totals[key] = (totals[key] ?? 0) + e.dur / 1000;
}
const n = windows.length;
// LAYOUT_ARGS: how much of the page each change lays out.
if (process.env.BENCH_LAYOUT_ARGS) for (const e of events) {
  if (e.name === "Layout" && e.ph === "B" || (e.name === "Layout" && e.ph === "X")) {
    if (windows.some(([a, b]) => e.ts >= a && e.ts <= b)) console.log("layout", JSON.stringify(e.args?.beginData ?? e.args), ((e.dur ?? 0) / 1000).toFixed(2));
  }
}
const rows = Object.entries(totals).map(([k, v]) => [k, v / n]).filter(([, v]) => v > 0.2).sort((a, b) => b[1] - a[1]);
console.log(`changes: ${n}, median wall time ${spans.sort((a, b) => a - b)[Math.floor(spans.length / 2)].toFixed(1)} ms`);
for (const [k, v] of rows.slice(0, 30)) console.log(`${v.toFixed(2).padStart(8)} ms  ${k}`);
