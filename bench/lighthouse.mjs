// Lighthouse (bench/node_modules, see bench/package.json) on each page, mobile (Lighthouse's
// default: emulated mid-range phone, simulated slow 4G and 4x CPU slowdown) and desktop
// (--preset=desktop), in Debian's headless Chromium. Keeps each full JSON report in OUT_DIR
// and prints the figures as JSON: scores (0–100) for performance, accessibility, best
// practices and SEO, and LCP (ms), TBT (ms), CLS.
// Each page and form factor runs BENCH_LIGHTHOUSE_RUNS=N times (default 3: one run's TBT
// varies from 3 to 90 ms on this machine) and the median run is kept (by performance score,
// then by total blocking time).
// Usage: node bench/lighthouse.mjs BASE_URL OUT_DIR PATH...
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [base, outDir, ...paths] = process.argv.slice(2);
if (!base || !outDir || paths.length === 0) {
  console.error("usage: node bench/lighthouse.mjs BASE_URL OUT_DIR PATH...");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "node_modules", "lighthouse", "cli", "index.js");
if (!existsSync(cli)) {
  console.error(`bench/lighthouse.mjs: ${cli} is missing: run (cd bench && npm ci)`);
  process.exit(1);
}
const chrome = process.env.CHROME_PATH ?? "/usr/bin/chromium";
if (!existsSync(chrome)) {
  console.error(`bench/lighthouse.mjs: no Chromium at ${chrome} (apt-get install chromium)`);
  process.exit(1);
}
const runs = Math.max(1, Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3));
const chromeFlags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
  "--no-first-run", "--disable-background-networking", "--disable-component-update",
  "--disable-sync"].join(" ");
mkdirSync(outDir, { recursive: true });

function figures(report) {
  const score = (id) => {
    const s = report.categories?.[id]?.score;
    return typeof s === "number" ? Math.round(s * 100) : null;
  };
  const audit = (id) => {
    const v = report.audits?.[id]?.numericValue;
    return typeof v === "number" ? v : null;
  };
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    seo: score("seo"),
    lcpMs: audit("largest-contentful-paint"),
    tbtMs: audit("total-blocking-time"),
    cls: audit("cumulative-layout-shift"),
    fcpMs: audit("first-contentful-paint"),
    runtimeError: report.runtimeError?.message ?? null,
    warnings: report.runWarnings ?? [],
    lighthouseVersion: report.lighthouseVersion,
    benchmarkIndex: report.environment?.benchmarkIndex ?? null,
    // Failed audits of the three 100-target categories, to see at a glance what to fix.
    failed: ["accessibility", "best-practices", "seo"].flatMap((c) =>
      (report.categories?.[c]?.auditRefs ?? [])
        .filter((ref) => ref.weight > 0 && report.audits[ref.id]?.score !== null && report.audits[ref.id]?.score < 1)
        .map((ref) => `${c}: ${ref.id}`)),
  };
}

const results = [];
for (const path of paths) {
  for (const formFactor of ["mobile", "desktop"]) {
    const kept = [];
    for (let run = 1; run <= runs; run++) {
      const slug = (path === "/" ? "accueil" : path.replace(/^\//, "").replace(/[^a-z0-9-]+/gi, "_")).slice(0, 80);
      const file = join(outDir, `${slug}-${formFactor}${runs > 1 ? `-${run}` : ""}.json`);
      const args = [cli, base + path, "--output=json", `--output-path=${file}`, "--quiet",
        `--chrome-flags=${chromeFlags}`,
        "--only-categories=performance,accessibility,best-practices,seo"];
      if (formFactor === "desktop") args.push("--preset=desktop");
      try {
        execFileSync(process.execPath, args, {
          stdio: ["ignore", "ignore", "pipe"],
          env: { ...process.env, CHROME_PATH: chrome },
          timeout: 300_000,
        });
      } catch (error) {
        console.error(`bench/lighthouse.mjs: lighthouse failed on ${path} (${formFactor}):\n${error.stderr ?? error.message}`);
        process.exit(1);
      }
      const f = figures(JSON.parse(readFileSync(file, "utf8")));
      if (f.runtimeError) {
        console.error(`bench/lighthouse.mjs: ${path} (${formFactor}): ${f.runtimeError}`);
        process.exit(1);
      }
      kept.push({ ...f, report: file });
    }
    // By score, then (equal scores, as 100 often is) by total blocking time, worst last.
    kept.sort((a, b) => (a.performance ?? -1) - (b.performance ?? -1) || (b.tbtMs ?? 0) - (a.tbtMs ?? 0));
    results.push({ path, formFactor, runs, ...kept[Math.floor(kept.length / 2)] });
  }
}
console.log(JSON.stringify({ base, results }));
