// Writes style/generated/_dsfr.scss: the parts of the DSFR stylesheet the pages use (its core,
// the components and icon sets listed below), with the rules whose classes appear nowhere in
// the application's Rust sources removed (PurgeCSS). The DSFR's component files are written
// for every variant of every component; a first visit downloaded 47 kB (brotli) of CSS, 610 kB
// to parse, where the pages use about a third of it.
//
// Every class the pages may carry is written whole in the sources (`"fr-btn fr-btn--sm"`,
// `class:fr-modal--opened`), never assembled from pieces (`format!("fr-btn--{size}")` would
// be purged; this script stops on one). The core's faces are declared in
// `font-display: optional` instead of `swap` (see scripts/assets.sh).
//
// Run by scripts/assets.sh (so by scripts/setup.sh, hence by every build script) when a source
// or the DSFR changed.
import { PurgeCSS } from "purgecss";
import fs from "node:fs";
import path from "node:path";
import { CORE, EXTRA, extraName } from "./fonts.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
// Where the classes are written (scripts/assets.sh watches the same folders).
const sources = ["app/src", "server/src", "frontend/src"];
const dsfr = path.join(root, "node_modules/@gouvfr/dsfr/dist");

const components = [
  "skiplink", "logo", "link", "button", "modal", "navigation", "header", "footer", "card",
  "tile", "tag", "badge", "callout", "highlight", "notice", "alert", "breadcrumb", "content",
  "form", "input", "checkbox", "table", "select", "radio", "password", "stepper", "segmented",
  "summary", "search", "connect",
];
const iconSets = ["system", "business", "buildings", "arrows", "map", "user", "document"];

const parts = [
  "core/core.main.min.css",
  ...components.map((c) => `component/${c}/${c}.main.min.css`),
  ...iconSets.map((s) => `utility/icons/icons-${s}/icons-${s}.main.min.css`),
];
let css = parts.map((p) => fs.readFileSync(path.join(dsfr, p), "utf8")).join("\n");
const swaps = (css.match(/font-display:swap/g) || []).length;
if (swaps === 0) throw new Error("dsfr-css: no `font-display:swap` in the DSFR core");
css = css.replaceAll("font-display:swap", "font-display:optional");
// Each face in two files (scripts/fonts.mjs): the characters French text uses, which every
// page loads, and the rest, which the browser fetches only for a page that has one of them.
let faces = 0;
css = css.replace(/@font-face\{([^}]*)\}/g, (face, body) => {
  const file = body.match(/url\(\.\.\/fonts\/([A-Za-z_-]+)\.woff2\)/);
  if (!file) return face;
  faces++;
  const rest = body.replace(/src:[^;]*/, `src:url(../fonts/${extraName(file[1])}.woff2) format("woff2")`);
  return `@font-face{${body};unicode-range:${CORE}}@font-face{${rest};unicode-range:${EXTRA}}`;
});
if (faces === 0) throw new Error("dsfr-css: no @font-face with a woff2 file in the DSFR core");

// A class assembled from pieces (`format!("fr-badge--{tone}")`) would be purged: refuse it.
const assembled = [];
for (const dir of sources) {
  for (const file of fs.readdirSync(path.join(root, dir), { recursive: true })) {
    if (!file.endsWith(".rs")) continue;
    const lines = fs.readFileSync(path.join(root, dir, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (/fr-[a-z0-9_-]*\{/.test(line)) assembled.push(`${dir}/${file}:${i + 1}: ${line.trim()}`);
    });
  }
}
if (assembled.length > 0) {
  throw new Error(
    "dsfr-css: a DSFR class is assembled from pieces, its rules would be purged; write it whole:\n" +
      assembled.join("\n"),
  );
}

// The custom properties our own stylesheet reads (style/*.scss): kept with the DSFR's own
// uses when the unused ones go (`variables`).
const ownVariables = new Set();
for (const file of fs.readdirSync(path.join(root, "style"))) {
  if (!file.endsWith(".scss")) continue;
  for (const m of fs.readFileSync(path.join(root, "style", file), "utf8").matchAll(/var\((--[A-Za-z0-9_-]+)/g)) {
    ownVariables.add(m[1]);
  }
}

// With the tokens they read in turn (`--background-alt-blue-france: var(--blue-france-975-75)`):
// a kept token's own reads are not followed by PurgeCSS.
const reads = new Map();
for (const m of css.matchAll(/(--[A-Za-z0-9_-]+)\s*:([^;}]*)/g)) {
  const list = reads.get(m[1]) ?? [];
  for (const r of m[2].matchAll(/var\((--[A-Za-z0-9_-]+)/g)) list.push(r[1]);
  reads.set(m[1], list);
}
for (const name of ownVariables) {
  for (const read of reads.get(name) ?? []) ownVariables.add(read);
}

const [result] = await new PurgeCSS().purge({
  content: sources.map((dir) => path.join(root, dir, "**/*.rs")),
  css: [{ raw: css }],
  // The DSFR declares some thousand colour and size tokens on `:root`, most of which no kept
  // rule reads: a third of the stylesheet.
  variables: true,
  // Tags the sources never name but every page has.
  safelist: { standard: ["html", "body"], variables: [...ownVariables] },
});

const out = path.join(root, "style/generated/_dsfr.scss");
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  "/* Generated by scripts/dsfr-css.mjs from @gouvfr/dsfr (Etalab-2.0): do not edit. */\n" + result.css,
);
console.log(
  `dsfr-css: ${parts.length} DSFR files, ${(css.length / 1000).toFixed(0)} kB -> ${(result.css.length / 1000).toFixed(0)} kB`,
);
