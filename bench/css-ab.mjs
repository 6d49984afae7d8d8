// Diagnostic (not part of the benchmark table): compares stylesheet variants on real filter
// changes, alternated in one page so that the machine's drift weighs on each alike. Each round
// puts each variant's CSS in a <style> tag and makes 8 changes; prints, per variant, the
// median over the rounds of a change's work (handler + the rendering of its frame) and of the
// frame after it, and Chromium's own counters per change (layout, style, script, task time,
// both frames: CDP `Performance.getMetrics`).
// Usage: BENCH_VARIANTS='{"now":"","no-cv":".mip-card-list>li{content-visibility:visible}"}' \
//          node bench/css-ab.mjs http://127.0.0.1:3300 [text|theme|region] [rounds]
import { openProgramme } from "./programme-page.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3300";
const kind = process.argv[3] ?? "theme";
const rounds = Number(process.argv[4] ?? 6);
const variants = JSON.parse(process.env.BENCH_VARIANTS ?? '{"as built":""}');
const { browser, page } = await openProgramme(base, { openGroups: true });
await page.waitForTimeout(300);
const cdp = await page.context().newCDPSession(page);
await cdp.send("Performance.enable");
const metrics = async () =>
  Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));

const changes = 8;
const results = {};
for (let round = 0; round < rounds; round++) {
  for (const [name, css] of Object.entries(variants)) {
    await page.evaluate((css) => {
      let style = document.getElementById("bench-ab");
      if (!style) {
        style = document.createElement("style");
        style.id = "bench-ab";
        document.head.append(style);
      }
      style.textContent = css;
    }, css);
    await page.waitForTimeout(100);
    const before = await metrics();
    const [work, next] = await page.evaluate(async ([kind, changes]) => {
      let work = 0, next = 0;
      for (let i = 0; i < changes; i++) {
        await new Promise((r) => setTimeout(r, 40));
        const frames = window.__benchFrames();
        const t0 = performance.now();
        window.__benchChange([kind, i]);
        const handled = performance.now() - t0;
        work += handled + (await frames.drawn);
        next += await frames.next;
      }
      return [work / changes, next / changes];
    }, [kind, changes]);
    const after = await metrics();
    const per = (k) => ((after[k] - before[k]) * 1000) / changes;
    const r = (results[name] ??= { work: [], next: [], layout: 0, style: 0, script: 0, task: 0 });
    r.work.push(work);
    r.next.push(next);
    for (const [key, metric] of [["layout", "LayoutDuration"], ["style", "RecalcStyleDuration"], ["script", "ScriptDuration"], ["task", "TaskDuration"]]) {
      r[key] += per(metric) / rounds;
    }
  }
}
await browser.close();
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, r] of Object.entries(results)) {
  console.log(`${name.padEnd(16)} work ${median(r.work).toFixed(1)} ms, next ${median(r.next).toFixed(1)} ms | per change: layout ${r.layout.toFixed(2)}, style ${r.style.toFixed(2)}, script ${r.script.toFixed(2)}, tasks of both frames ${r.task.toFixed(2)} ms`);
}
