// Gathers the figures written by bench/run.sh (bench/out/results) into markdown tables,
// prints them and writes them, with the machine and the date, to RESULTS.md.
// Usage: node bench/report.mjs [bench/out/results] [bench/RESULTS.md]
//        node bench/report.mjs --machine      (prints the machine's description as JSON)
// Sizes are in kB = 1,000 bytes and MB = 1,000,000 bytes (as the issue's targets are written).
import { execSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { join } from "node:path";
import * as filterTable from "./filter-table.mjs";

const sh = (cmd) => {
  try {
    return execSync(cmd, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (e) {
    return (e.stdout ?? "").trim() || (e.stderr ?? "").trim() || "unknown";
  }
};

function machine() {
  const lighthouse = "bench/node_modules/lighthouse/package.json";
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `Debian ${sh("cat /etc/debian_version")}, Linux ${release()}`,
    chromium: sh("/usr/bin/chromium --version 2>/dev/null"),
    node: process.version,
    wrk: sh("wrk -v 2>&1 | head -n 1").split(" ").slice(0, 2).join(" "),
    nginx: sh("nginx -v 2>&1 || /usr/sbin/nginx -v 2>&1"),
    nginxBrotli: existsSync("/usr/share/nginx/modules/ngx_http_brotli_static_module.so"),
    lighthouse: existsSync(lighthouse) ? JSON.parse(readFileSync(lighthouse, "utf8")).version : "not installed",
    commit: sh("git rev-parse --short HEAD"),
    dirty: sh("git status --porcelain --untracked-files=no") !== "",
  };
}

if (process.argv[2] === "--machine") {
  console.log(JSON.stringify(machine()));
  process.exit(0);
}

const dir = process.argv[2] ?? "bench/out/results";
const out = process.argv[3] ?? "bench/RESULTS.md";
if (!existsSync(join(dir, "run.json"))) {
  console.error(`bench/report.mjs: no ${join(dir, "run.json")}: run bench/run.sh first`);
  process.exit(1);
}
const json = (...p) => {
  const f = join(dir, ...p);
  return existsSync(f) ? JSON.parse(readFileSync(f, "utf8")) : null;
};
const jsonl = (...p) => {
  const f = join(dir, ...p);
  return existsSync(f) ? readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
};
const run = json("run.json");
const host = json("machine.json") ?? machine();
const assets = json("assets.json");
const sizes = run.sizes.filter((n) => existsSync(join(dir, String(n))));

const kB = (b) => (b == null ? "–" : (b / 1000).toFixed(1));
const MB = (kib) => (kib == null ? "–" : ((kib * 1024) / 1e6).toFixed(1));
const num = (x, d = 0) => (x == null ? "–" : Number(x).toFixed(d));
const thousands = (n) => Number(n).toLocaleString("en-US");
const row = (cells) => `| ${cells.join(" | ")} |`;
const table = (head, align, rows) => [row(head), row(align), ...rows.map(row)].join("\n");
const pageName = { accueil: "`/`", programme: "`/programme`", "programme-theme": "`/programme?theme=coproduction`",
  evenement: "event page", "api-events": "`/api/v1/events.json`" };
const lines = [];
const say = (...l) => lines.push(...l);

say("# Benchmark results", "",
  `Last run: ${run.started.slice(0, 10)} (${run.started.slice(11, 16)} UTC${run.finished ? `, ${Math.round((Date.parse(run.finished) - Date.parse(run.started)) / 60000)} min` : ""}), `
  + `commit \`${host.commit}\`${host.dirty ? " with uncommitted changes" : ""}, editions of ${sizes.map(thousands).join(", ")} events, `
  + "written by `bench/run.sh` (see `bench/README.md` for what each figure means and how it is measured).", "",
  `Machine: ${host.cores} cores (${host.cpu}), ${host.memoryGiB} GiB, ${host.os}; ${host.chromium}; `
  + `Node ${host.node}; ${host.wrk}; ${host.nginx.replace("nginx version: ", "")}${host.nginxBrotli ? " with brotli_static" : " (gzip_static only)"}; `
  + `Lighthouse ${host.lighthouse}.`, "",
  "Figures, never assertions: they depend on this machine, which runs the server, the load generator "
  + "and the browser at once. kB = 1,000 bytes, MB = 1,000,000 bytes.", "");

// --- Targets -------------------------------------------------------------------------------
const http = Object.fromEntries(sizes.map((n) => [n, jsonl(String(n), "http.jsonl")]));
const nginx = Object.fromEntries(sizes.map((n) => [n, jsonl(String(n), "nginx.jsonl")]));
const memory = Object.fromEntries(sizes.map((n) => [n, json(String(n), "memory.json")]));
const visits = Object.fromEntries(sizes.map((n) => [n, json(String(n), "first-visit.json")]));
const filters = Object.fromEntries(sizes.map((n) => [n, json(String(n), "filter.json")]));
const lhSize = sizes.find((n) => json(String(n), "lighthouse.json"));
const lighthouse = lhSize ? json(String(lhSize), "lighthouse.json") : null;
const ratio = (n, label) => {
  const a = http[n]?.find((r) => r.label === label);
  const b = nginx[n]?.find((r) => r.label === label);
  return a && b ? a.rps / b.rps : null;
};
const yes = (ok) => (ok == null ? "not measured" : ok ? "yes" : "**no**");
const targets = [];
{
  const r = ratio(350, "programme");
  targets.push(["`/programme` (350) throughput ≥ 0.5 × nginx precompressed static", r == null ? "–" : `${r.toFixed(2)} ×`, yes(r == null ? null : r >= 0.5)]);
}
{
  const n = sizes.includes(350) ? 350 : sizes[0];
  const pages = visits[n]?.pages ?? [];
  const worst = Math.max(...pages.map((p) => p.totalBytes));
  targets.push([`first visit ≤ 200 kB transferred (${thousands(n)} events, largest of the pages)`,
    pages.length ? pages.map((p) => `${p.path === "/" || p.path === "/programme" ? p.path : "event"}: ${kB(p.totalBytes)} kB`).join(", ") : "–",
    yes(pages.length ? worst <= 200_000 : null)]);
}
// What a visitor's browser loaded (first visits of the public pages, every size), as files of
// the pkg directory (wasm, its JS, __wasm_split.*.js, the stylesheet): the split chunks of the
// organizer and admin pages are not among them.
const loaded = new Set(sizes.flatMap((n) => (visits[n]?.pages ?? []).flatMap((p) => p.list
  .map((r) => r.url.split("?")[0]).filter((u) => u.startsWith("/pkg/")))));
const isLoaded = (f) => loaded.has(`/pkg/${f.name}`);
const total = (files) => ({ raw: files.reduce((s, f) => s + f.raw, 0), gzip: files.reduce((s, f) => s + f.gzip, 0),
  brotli: files.reduce((s, f) => s + f.brotli, 0) });
const visitorFiles = (assets?.files ?? []).filter((f) => /\.(wasm|js)$/.test(f.name) && isLoaded(f));
const visitor = visitorFiles.length
  ? { ...total(visitorFiles), measured: true }
  : assets ? { ...assets.wasmJs, measured: false } : null;
// Per page: the wasm and JS files of pkg that page's first visit loaded (the programme's lazy
// island and its chunks only on /programme).
{
  const n = sizes.includes(350) ? 350 : sizes[0];
  const pages = visits[n]?.pages ?? [];
  const byName = new Map((assets?.files ?? []).map((f) => [`/pkg/${f.name}`, f]));
  const perPage = pages.map((p) => {
    const files = [...new Set(p.list.map((r) => r.url.split("?")[0]))].map((u) => byName.get(u))
      .filter((f) => f && /\.(wasm|js)$/.test(f.name));
    return [p.path === "/" || p.path === "/programme" ? p.path : "event", total(files)];
  }).filter(([, t]) => t.brotli > 0);
  const shown = perPage.length ? perPage : visitor ? [["all pages", visitor]] : [];
  targets.push([`visitor wasm + JS ≤ 150 kB brotli (${perPage.length ? "the pkg files each page's first visit loaded" : visitor?.measured ? "the pkg files a first visit loaded" : "every wasm and JS file of pkg"}, brotli -q 11)`,
    shown.length ? shown.map(([page, t]) => `${page}: ${kB(t.brotli)} kB`).join(", ") : "–",
    yes(shown.length ? shown.every(([, t]) => t.brotli <= 150_000) : null)]);
}
{
  const mobile = lighthouse?.results.filter((r) => r.formFactor === "mobile") ?? [];
  const min = (k) => Math.min(...mobile.map((r) => r[k] ?? 0));
  targets.push(["Lighthouse mobile ≥ 95 performance, 100 accessibility / best practices / SEO (lowest of the pages)",
    mobile.length ? `${min("performance")} / ${min("accessibility")} / ${min("bestPractices")} / ${min("seo")}` : "–",
    yes(mobile.length ? min("performance") >= 95 && min("accessibility") === 100 && min("bestPractices") === 100 && min("seo") === 100 : null)]);
}
{
  const f = filters[3500];
  const worst = (k) => (f ? Math.max(...Object.values(f.results).map((r) => r[k])) : null);
  // One frame: the change's work (its handler, then the rendering of the frame that draws
  // it) fits in 16 ms, so the change is on screen at the display's next frame. The painted
  // frame, waiting for the display included, is shown beside it and not judged: a trivial
  // change already takes the floor's 12–14 ms in this harness.
  const hasWork = f && Object.values(f.results).every((r) => r.workMedian != null);
  targets.push(["filter latency ≤ 16 ms at 3,500 events, one frame (medians, slowest scenario, every filter group open): the DOM updated; the change's work, handler + the rendering of its frame",
    f ? `${num(worst("countMedian"), 1)} ms; ${hasWork ? `${num(worst("workMedian"), 1)} ms (p90 ${num(worst("workP90"), 1)})` : "–"}` : "–",
    yes(f && hasWork ? worst("countMedian") <= 16 && worst("workMedian") <= 16 : null)]);
  targets.push([`(not judged) the painted frame, waiting for the display's next frame included (a trivial change: ${f ? num(f.floorMs, 1) : "–"} ms)`,
    f ? `${num(Math.min(...Object.values(f.results).map((r) => r.median)), 1)}–${num(worst("median"), 1)} ms` : "–", ""]);
}
{
  const f = filters[35000];
  const worst = (k) => (f ? Math.max(...Object.values(f.results).map((r) => r[k])) : null);
  targets.push([`filter latency at 35,000 events, every scenario (medians, slowest): handler ≤ ${filterTable.CEILINGS.countMs} ms, the change's work ≤ ${filterTable.CEILINGS.workMs} ms (issue 29)`,
    f ? `${num(worst("countMedian"), 1)} ms; ${num(worst("workMedian"), 1)} ms (p90 ${num(worst("workP90"), 1)})` : "–",
    yes(filterTable.withinCeilings(f))]);
}
{
  const m = memory[35000];
  targets.push(["server RSS ≤ 100 MB under load at 35,000 events (peak, VmHWM)",
    m ? `${MB(m.after_load.hwmKb)} MB` : "–", yes(m ? m.after_load.hwmKb * 1024 <= 100e6 : null)]);
}
say("## Targets (reported, never asserted)", "",
  table(["target", "measured", "met"], [":--", "--:", ":-:"], targets), "");

// --- HTTP ----------------------------------------------------------------------------------
const ms = (x) => (x == null ? "–" : x < 10 ? x.toFixed(2) : x.toFixed(1));
const errors = (r) => (r.non2xx || r.socketErrors ? ` (⚠ ${r.non2xx} non-2xx, ${r.socketErrors} socket errors)` : "");
const httpRows = [];
for (const n of sizes) {
  for (const r of http[n]) {
    const x = nginx[n].find((y) => y.label === r.label);
    httpRows.push([thousands(n), pageName[r.label] ?? r.label, `${r.encoding}, ${kB(r.bytes)}`,
      `${num(r.rps)}${errors(r)}`, ms(r.p50Ms), ms(r.p99Ms),
      x ? `${x.encoding}, ${kB(x.bytes)}` : "–", x ? `${num(x.rps)}${errors(x)}` : "–",
      x ? `${ms(x.p50Ms)} / ${ms(x.p99Ms)}` : "–", x ? (r.rps / x.rps).toFixed(2) : "–"]);
  }
}
say("## HTTP load", "",
  `wrk, 1 thread, ${run.connections} connections, ${run.warmup} warm-up then ${run.duration}, `
  + "`Accept-Encoding: gzip, deflate, br, zstd`, loopback; the server (and nginx, one worker) pinned to core 0, "
  + "wrk to core 1. nginx serves the very bodies our server sent, as static files precompressed "
  + `(brotli -q 11 and gzip -9) with ${host.nginxBrotli ? "brotli_static and gzip_static" : "gzip_static (no brotli module)"}.`, "",
  table(["events", "page", "ours: encoding, kB", "ours req/s", "p50 (ms)", "p99 (ms)", "nginx: encoding, kB",
    "nginx req/s", "nginx p50 / p99 (ms)", "ours / nginx"],
  ["--:", ":--", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:"], httpRows), "");
const pre = sizes.map((n) => [n, json(String(n), "precompressed.json")]).filter(([, p]) => p);
if (pre.length) {
  say("Encodings of the same bodies (kB): identity, gzip -9, brotli -q 11.", "",
    table(["events", "page", "identity", "gzip", "brotli"], ["--:", ":--", "--:", "--:", "--:"],
      pre.flatMap(([n, p]) => Object.entries(p)
        .map(([file, s]) => [file.split("/").pop().replace(/\.(html|json)$/, ""), s])
        .sort(([a], [b]) => Object.keys(pageName).indexOf(a) - Object.keys(pageName).indexOf(b))
        .map(([label, s]) => [thousands(n), pageName[label] ?? label, kB(s.raw), kB(s.gzip), kB(s.brotli)]))), "");
}

// --- Memory --------------------------------------------------------------------------------
say("## Server memory", "",
  "Resident memory of the server process (/proc/PID/status): after start-up, right after the HTTP load, "
  + "at the end (after the browser measures), and its peak (VmHWM).", "",
  table(["events", "idle RSS (MB)", "RSS after load (MB)", "RSS at the end (MB)", "peak RSS (MB)"],
    ["--:", "--:", "--:", "--:", "--:"],
    sizes.filter((n) => memory[n]).map((n) => [thousands(n), MB(memory[n].idle.rssKb), MB(memory[n].after_load.rssKb),
      MB(memory[n].end.rssKb), MB(memory[n].end.hwmKb)])), "");

// --- Password-reset flood ----------------------------------------------------------------
const flood = json(String(sizes[0]), "reset-flood.json");
if (flood) {
  say("## Password-reset flood", "",
    `${flood.requests} POSTs of the reset form with made-up links, ${flood.parallel} at a time, from one client `
    + "(issue 23: each used to hash its password before looking at the link, 70 → 944 MB). The link is checked "
    + "first and the form is throttled, so nothing is hashed; at most 4 hashes ever run at once.", "",
    table(["answers", "seconds", "latency p50 / p90 / max (ms)", "RSS before (MB)", "RSS after (MB)", "peak before → after (MB)"],
      [":--", "--:", "--:", "--:", "--:", "--:"],
      [[Object.entries(flood.statuses).map(([s, c]) => `${c} × ${s}`).join(", "), flood.seconds,
        `${flood.latencyMs.p50} / ${flood.latencyMs.p90} / ${flood.latencyMs.max}`,
        MB(flood.memory.before.rssKb), MB(flood.memory.after.rssKb),
        `${MB(flood.memory.before.hwmKb)} → ${MB(flood.memory.after.hwmKb)}`]]), "");
}

// --- First visit ---------------------------------------------------------------------------
const kinds = ["document", "stylesheet", "font", "script", "wasm", "data", "image", "other"];
say("## First visit", "",
  "Bytes received by headless Chromium for one page with an empty cache (compressed bodies plus headers), "
  + "until hydrated and the network idle, by kind (kB).", "",
  table(["events", "page", "requests", ...kinds, "total transferred", "total uncompressed"],
    ["--:", ":--", "--:", ...kinds.map(() => "--:"), "--:", "--:"],
    sizes.flatMap((n) => (visits[n]?.pages ?? []).map((p) => [thousands(n),
      p.path === "/" || p.path === "/programme" ? `\`${p.path}\`` : "event page", p.requests,
      ...kinds.map((k) => kB(p.byKind[k] ?? 0)), `**${kB(p.totalBytes)}**`, kB(p.decodedBytes)]))), "");

// --- Front-end size ------------------------------------------------------------------------
// With wasm code splitting pkg holds a couple of hundred files, so they are grouped: each file a
// first visit loaded, then each lazy island or function (split_<name>…wasm), then the
// shared chunks (chunk_<n>.<hash>.wasm) as one row, then any other file; every file in one row only.
if (assets) {
  const base = (f) => f.name.split("/").pop();
  // Lazy islands and functions: split_<name>_loader_<n>.<hash>.wasm, split_<name>_<n>.<hash>.wasm.
  const route = (f) => /^split_(.+?)(?:_loader)?_\d+\.[^.]+\.wasm$/.exec(base(f))?.[1];
  const isChunk = (f) => /^chunk_\d+\..*\.wasm$/.test(base(f));
  const sizeCells = (s) => [kB(s.raw), kB(s.gzip), kB(s.brotli)];
  const measured = loaded.size > 0;
  // Without first-visit figures, the files that are neither a lazy route nor a chunk come first.
  const first = assets.files.filter((f) => (measured ? isLoaded(f) : !route(f) && !isChunk(f)));
  const rest = assets.files.filter((f) => !first.includes(f));
  const routes = rest.filter(route).sort((a, b) => route(a).localeCompare(route(b)));
  const chunks = rest.filter((f) => !route(f) && isChunk(f));
  const others = rest.filter((f) => !route(f) && !isChunk(f));
  const seen = measured ? "yes" : "not measured";
  const unseen = measured ? "no" : "not measured";
  const rows = [
    ...first.map((f) => [`\`${f.name}\``, seen, ...sizeCells(f)]),
    ...routes.map((f) => [`lazy: ${route(f)}`, unseen, ...sizeCells(f)]),
    ...(chunks.length ? [[`${chunks.length} shared chunks (\`chunk_*.wasm\`${chunks.length < assets.files.filter(isChunk).length ? ", not loaded by a first visit" : ""})`,
      unseen, ...sizeCells(total(chunks))]] : []),
    ...others.map((f) => [`\`${f.name}\``, unseen, ...sizeCells(f)]),
    ["**visitor (first visit): wasm + JS**", seen, ...(visitor?.measured
      ? [kB(visitor.raw), kB(visitor.gzip), `**${kB(visitor.brotli)}**`] : ["–", "–", "–"])],
    ["**everything: wasm + JS**", "", kB(assets.wasmJs.raw), kB(assets.wasmJs.gzip), `**${kB(assets.wasmJs.brotli)}**`],
  ];
  say("## Front-end size", "",
    `The files of \`${assets.dir}\` (${assets.files.length} files), raw and compressed at the strongest settings (kB): `
    + "each file a first visit loaded, each lazy island's or function's split module (loaded by the page that has it), "
    + "the shared split chunks as one row, then the totals of wasm + JS.", "",
    table(["file", "loaded by a first visit", "raw", "gzip -9", "brotli -q 11"], [":--", ":-:", "--:", "--:", "--:"], rows), "");
}

// --- Lighthouse ----------------------------------------------------------------------------
if (lighthouse) {
  say("## Lighthouse", "",
    `Lighthouse ${lighthouse.results[0]?.lighthouseVersion ?? ""} on the ${thousands(lhSize)}-event edition only, `
    + "mobile (default: emulated phone, simulated slow 4G, 4× CPU slowdown) and desktop (`--preset=desktop`); "
    + `${lighthouse.results[0]?.runs > 1 ? `median of ${lighthouse.results[0].runs} runs by performance score` : "one run each"}.`, "",
    table(["page", "form factor", "performance", "accessibility", "best practices", "SEO", "LCP (ms)", "TBT (ms)", "CLS"],
      [":--", ":--", "--:", "--:", "--:", "--:", "--:", "--:", "--:"],
      lighthouse.results.map((r) => [r.path === "/" || r.path === "/programme" ? `\`${r.path}\`` : "event page",
        r.formFactor, r.performance, r.accessibility, r.bestPractices, r.seo, num(r.lcpMs), num(r.tbtMs), num(r.cls, 3)])), "");
  // Each failed audit once, with where it failed (the full reports are in bench/out/lighthouse).
  const failed = new Map();
  for (const r of lighthouse.results) {
    for (const f of r.failed) {
      const where = `${r.path === "/" || r.path === "/programme" ? r.path : "event page"} ${r.formFactor}`;
      failed.set(f, [...(failed.get(f) ?? []), where]);
    }
  }
  if (failed.size) {
    say("Audits that failed in accessibility, best practices and SEO (full reports in `bench/out/lighthouse/`): "
      + [...failed].map(([f, where]) => `${f} (${where.join(", ")})`).join("; ") + ".", "");
  }
  const warnings = [...new Set(lighthouse.results.flatMap((r) => r.warnings))];
  if (warnings.length) say("Lighthouse warnings: " + warnings.join(" ") , "");
} else {
  say("## Lighthouse", "", "Not run (BENCH_SKIP_LIGHTHOUSE=1).", "");
}

// --- Filter latency ------------------------------------------------------------------------
const filterRows = filterTable.rows(Object.fromEntries(sizes.map((n) => [n, filters[n]])));
say("## Filter latency", "",
  "`bench/filter-latency.mjs` in headless Chromium (software rendering), every filter group of the form open: "
  + "for a change on `/programme`, **count**: from the event to the updated count in the DOM (the handler); "
  + "**work**: the handler plus the rendering of the frame that draws the change (style, layout, paint: from the "
  + "frame's first callback to the task after it), the wait for the display's frame left out, median and p90; "
  + "**next**: the frame after it, where the list's cards below the screen are written and drawn; "
  + "**frame**: from the event to the task after the painted frame, waiting included, median and p90 "
  + "(the floor: the same for a trivial change). Medians of 15 changes (ms); count and work beside their ceilings "
  + `(≤ ${filterTable.CEILINGS.countMs} and ≤ ${filterTable.CEILINGS.workMs}), in bold when over.`, "",
  filterRows.length
    ? table(filterTable.HEADERS, filterTable.ALIGN, filterRows)
    : "Not run (BENCH_SKIP_FILTER=1).", "");

const crashFile = join(dir, "crash.json");
if (existsSync(crashFile)) {
  const c = JSON.parse(readFileSync(crashFile, "utf8"));
  const termFile = join(dir, "crash-term.json");
  const t = existsSync(termFile) ? JSON.parse(readFileSync(termFile, "utf8")) : null;
  say("## Crash durability", "",
    `\`bench/crash.mjs\` on the release server: ${c.clients} clients (organizers creating, saving and submitting, `
    + "moderators publishing) through the HTTP API, the server killed with SIGKILL at a random moment of each round, "
    + "then the database checked as the crash left it (`PRAGMA integrity_check`, every acknowledged write present), "
    + "and restarted. SQLite in WAL mode with `synchronous=FULL`. A SIGKILL tests a crash of the process; "
    + "a crash of the machine (power) is covered by SQLite's own guarantees for these pragmas, not tested here.", "",
    table(["rounds", "writes acknowledged", "writes lost", "in flight at the kills (never acknowledged)", "throughput (writes/s, 18 clients)", "integrity"],
      ["--:", "--:", "--:", "--:", "--:", ":-:"],
      [[c.rounds, thousands(c.writes_acknowledged), c.writes_lost, c.writes_in_flight_at_kills, c.write_throughput_per_s, c.integrity_check]]), "",
    ...(t
      ? ["The same load stopped by SIGTERM (`--signal TERM`): the clients go on sending during the stop; each request "
          + "must get its answer or a refused connection, the server exit 0.", "",
        table(["rounds", "writes acknowledged", "writes lost", "refused at the stops", "cut without an answer", "sent again after a closed kept-alive connection", "throughput (writes/s)"],
          ["--:", "--:", "--:", "--:", "--:", "--:", "--:"],
          [[t.rounds, thousands(t.writes_acknowledged), t.writes_lost, t.requests_refused_at_stops, t.requests_cut_at_stops, t.requests_sent_again_after_a_closed_connection, t.write_throughput_per_s]]), ""]
      : []));
} else {
  say("## Crash durability", "", "Not run (BENCH_SKIP_CRASH=1).", "");
}

const markdown = lines.join("\n");
writeFileSync(out, markdown);
console.log(markdown);
console.error(`bench/report.mjs: written to ${out}`);
