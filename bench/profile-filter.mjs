// Diagnostic (not part of the benchmark table): a CPU profile of filter changes on
// /programme in headless Chromium, with the time spent in each function (self and total),
// for a build whose wasm keeps its function names (see bench/README.md).
// Usage: node bench/profile-filter.mjs http://127.0.0.1:3300 [text|theme|region] [changes]
import { changeFilter, openProgramme } from "./programme-page.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3300";
const kind = process.argv[3] ?? "text";
const changes = Number(process.argv[4] ?? 20);
const { browser, page } = await openProgramme(base);
await page.waitForTimeout(300);
const cdp = await page.context().newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
await cdp.send("Profiler.start");
for (let i = 0; i < changes; i++) {
  await page.evaluate(changeFilter, [kind, i]);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  await page.waitForTimeout(50);
}
const { profile } = await cdp.send("Profiler.stop");
await browser.close();

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
}
const self = {}, total = {};
const name = (n) => `${n.callFrame.functionName || "(anonymous)"}`.slice(0, 140);
for (const [id, ms] of dt) {
  let n = byId.get(id);
  self[name(n)] = (self[name(n)] ?? 0) + ms;
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    total[k] = (total[k] ?? 0) + ms;
  }
}
const top = (o, k) => Object.entries(o).sort((a, b) => b[1] - a[1]).slice(0, k);
console.log(`per change (ms), over ${changes} changes`);
console.log("-- self");
for (const [k, v] of top(self, 40)) console.log(`${(v / changes).toFixed(2).padStart(7)}  ${k}`);
console.log("-- total");
for (const [k, v] of top(total, 60)) console.log(`${(v / changes).toFixed(2).padStart(7)}  ${k}`);
// BENCH_FOCUS=substring: where the time of the functions whose name contains it goes, by callee.
if (process.env.BENCH_FOCUS) {
  const totalOf = new Map();
  const sum = (id) => {
    if (totalOf.has(id)) return totalOf.get(id);
    let t = dt.get(id) ?? 0;
    for (const c of byId.get(id).children ?? []) t += sum(c);
    totalOf.set(id, t);
    return t;
  };
  for (const focus of process.env.BENCH_FOCUS.split(",")) {
    const callees = {};
    let all = 0;
    for (const n of profile.nodes) {
      if (!name(n).includes(focus)) continue;
      // Outermost occurrences only.
      let outer = true;
      for (let cur = parent.get(n.id); cur !== undefined; cur = parent.get(cur)) if (name(byId.get(cur)).includes(focus)) { outer = false; break; }
      if (!outer) continue;
      all += sum(n.id);
      callees["(self)"] = (callees["(self)"] ?? 0) + (dt.get(n.id) ?? 0);
      for (const c of n.children ?? []) callees[name(byId.get(c))] = (callees[name(byId.get(c))] ?? 0) + sum(c);
    }
    console.log(`-- inside ${focus}: ${(all / changes).toFixed(2)} ms per change`);
    for (const [k, v] of top(callees, 15)) console.log(`${(v / changes).toFixed(2).padStart(7)}  ${k}`);
  }
}
// BENCH_TREE=substring: the call tree under the functions whose name contains it (merged by
// name, 8 levels, branches of 0.3 ms per change or more).
if (process.env.BENCH_TREE) {
  const focus = process.env.BENCH_TREE;
  const merged = { t: 0, kids: {} };
  const add = (id, into, depth) => {
    const n = byId.get(id);
    const k = name(n);
    const slot = (into.kids[k] ??= { t: 0, kids: {} });
    let t = dt.get(id) ?? 0;
    for (const c of n.children ?? []) t += add(c, depth < 8 ? slot : { t: 0, kids: {} }, depth + 1);
    slot.t += t;
    return t;
  };
  for (const n of profile.nodes) {
    if (!name(n).includes(focus)) continue;
    let outer = true;
    for (let cur = parent.get(n.id); cur !== undefined; cur = parent.get(cur)) if (name(byId.get(cur)).includes(focus)) { outer = false; break; }
    if (outer) add(n.id, merged, 0);
  }
  const short = (k) => k.replace(/17h[0-9a-f]{16}E/, "").replace(/\$LT\$/g, "<").replace(/\$GT\$/g, ">").replace(/\$u20\$/g, " ").replace(/\$u7b\$/g, "{").replace(/\$u7d\$/g, "}").replace(/\$C\$/g, ",").replace(/\.\./g, "::").slice(0, 160);
  const show = (node, indent) => {
    for (const [k, v] of Object.entries(node.kids).sort((a, b) => b[1].t - a[1].t)) {
      if (v.t / changes < 0.3) continue;
      console.log(`${(v.t / changes).toFixed(2).padStart(7)} ${" ".repeat(indent)}${short(k)}`);
      show(v, indent + 2);
    }
  };
  console.log(`-- tree under ${focus}`);
  show(merged, 0);
}
