// The filter latency's figures beside their ceilings: shared by bench/report.mjs (the table
// of RESULTS.md), bench/filter-latency.mjs (what it prints) and bench/filter-run.sh (the
// filter latency alone).
//   node bench/filter-table.mjs DIR     prints DIR/<events>/filter.json as RESULTS.md's
//                                       section, with DIR/machine.json and DIR/run.json
// Ceilings are what the issues ask (issue 29: at 35,000 events, typing, ticking a theme or a
// region costs at most 4 ms of handler, and its work, handler plus the rendering of its
// frame, at most 16 ms: one frame). Reported, never asserted.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const CEILINGS = { countMs: 4, workMs: 16 };
export const SCENARIOS = ["texte (frappe)", "thème (case)", "région (case)"];

const f1 = (x) => x.toFixed(1);
const over = (x, ceiling) => (x > ceiling ? `**${f1(x)}**` : f1(x));

// One scenario's cell: count (≤ 4) / work (≤ 16), p90 / next / frame, p90; a figure over its
// ceiling in bold.
export function cell(x) {
  if (!x) return "–";
  const work = x.workMedian != null
    ? ` / ${over(x.workMedian, CEILINGS.workMs)} (≤ ${CEILINGS.workMs}), ${f1(x.workP90)} / ${f1(x.nextMedian)}`
    : "";
  return `${over(x.countMedian, CEILINGS.countMs)} (≤ ${CEILINGS.countMs})${work} / ${f1(x.median)}, ${f1(x.p90)}`;
}

export const HEADERS = ["events", "first load to hydrated (ms)", "frame floor (ms)",
  "text: count / work, p90 / next / frame, p90", "theme: count / work, p90 / next / frame, p90",
  "region: count / work, p90 / next / frame, p90"];
export const ALIGN = ["--:", "--:", "--:", "--:", "--:", "--:"];

export function rows(bySize) {
  return Object.entries(bySize).filter(([, r]) => r).map(([n, r]) =>
    [Number(n).toLocaleString("en-US"), r.loadMs, f1(r.floorMs), ...SCENARIOS.map((k) => cell(r.results[k]))]);
}

// Whether every scenario's median is within its ceilings; null when not measured.
export function withinCeilings(r) {
  if (!r) return null;
  return SCENARIOS.every((k) => r.results[k] && r.results[k].countMedian <= CEILINGS.countMs
    && r.results[k].workMedian <= CEILINGS.workMs);
}

// What filter-latency.mjs prints (stderr): each figure beside its ceiling.
export function lines(r) {
  return SCENARIOS.filter((k) => r.results[k]).map((k) => {
    const x = r.results[k];
    const mark = (v, c) => `${f1(v)} ms (ceiling ${c}${v > c ? ", over" : ""})`;
    return `${k}: count ${mark(x.countMedian, CEILINGS.countMs)} · work ${mark(x.workMedian, CEILINGS.workMs)}, `
      + `p90 ${f1(x.workP90)} · next ${f1(x.nextMedian)} · frame ${f1(x.median)}, p90 ${f1(x.p90)} (floor ${f1(r.floorMs)})`;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = process.argv[2] ?? "bench/out/filter";
  const read = (...p) => (existsSync(join(dir, ...p)) ? JSON.parse(readFileSync(join(dir, ...p), "utf8")) : null);
  const host = read("machine.json") ?? {};
  const run = read("run.json") ?? {};
  const bySize = Object.fromEntries(readdirSync(dir).filter((d) => /^\d+$/.test(d)).sort((a, b) => a - b)
    .map((n) => [n, read(n, "filter.json")]));
  const row = (cells) => `| ${cells.join(" | ")} |`;
  console.log([
    `Run: ${(run.started ?? host.date ?? "").slice(0, 16).replace("T", " ")} UTC, commit \`${host.commit}\``
      + `${host.dirty ? " with uncommitted changes" : ""}, \`bench/filter-run.sh\`. Machine: ${host.cores} cores (${host.cpu}), `
      + `${host.memoryGiB} GiB, ${host.os}; ${host.chromium}; Node ${host.node}.`,
    "",
    `Medians of 15 changes (ms); each figure beside its ceiling (count ≤ ${CEILINGS.countMs}, work ≤ ${CEILINGS.workMs}), in bold when over it.`,
    "",
    row(HEADERS), row(ALIGN), ...rows(bySize).map(row),
  ].join("\n"));
}
