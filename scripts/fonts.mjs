// The DSFR's Marianne and Spectral faces, each cut in two files served under one family with
// `unicode-range` (as font services do): the characters French text uses (`CORE`: ASCII,
// French letters, « », the typographic spaces and dashes, €…), which every page loads, and the
// rest of Latin-1 and Latin Extended-A with the other punctuation (`EXTRA`), which the browser
// fetches only for a page that has one of them (a Polish or Spanish name, a ±). A first visit
// preloads three faces: 14 kB each with both sets in one file, 9.9 kB with the core alone.
//
// Without TrueType hinting (as most font services serve them) and with the layout features
// browsers apply by default, plus `tnum` (`font-variant-numeric: tabular-nums` in
// style/_app.scss); the others (fractions, stylistic sets…) are never asked for.
//
// `node scripts/fonts.mjs` writes public/fonts/ (run by scripts/assets.sh, skipping faces
// already written from the same source); scripts/dsfr-css.mjs imports the ranges to declare
// the faces. pyftsubset is fontTools' (Debian's `fonttools`, installed by scripts/setup.sh).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Code points as inclusive [first, last] pairs. */
const CORE_POINTS = [
  [0x20, 0x7e],
  [0xa0, 0xa0], // no-break space
  [0xa7, 0xa7], // §
  [0xab, 0xab], // «
  [0xb0, 0xb0], // ° (n°)
  [0xb7, 0xb7], // · (inclusive writing)
  [0xbb, 0xbb], // »
  ..."ÀÂÆÇÈÉÊËÎÏÔÙÛÜàâæçèéêëîïôùûüÿŒœŸ".split("").map((c) => [c.codePointAt(0), c.codePointAt(0)]),
  [0x2009, 0x2009], // thin space
  [0x2011, 0x2011], // non-breaking hyphen
  [0x2013, 0x2014], // – —
  [0x2018, 0x2019], // ‘ ’
  [0x201c, 0x201d], // “ ”
  [0x2022, 0x2022], // •
  [0x2026, 0x2026], // …
  [0x202f, 0x202f], // narrow no-break space (« 14 h 00 », « : »)
  [0x20ac, 0x20ac], // €
];
/** Everything the fonts were cut to before (Latin-1, general punctuation…) and Latin
 * Extended-A; `EXTRA` is this minus `CORE`. */
const ALL_POINTS = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
  [0x2c6, 0x2c6],
  [0x2dc, 0x2dc],
  [0x2000, 0x206f],
  [0x20ac, 0x20ac],
  [0x2122, 0x2122],
  [0x2212, 0x2212],
];

function expand(pairs) {
  const set = new Set();
  for (const [a, b] of pairs) for (let c = a; c <= b; c++) set.add(c);
  return set;
}

/** `U+20-7E,U+A0,…`: the CSS `unicode-range` and pyftsubset's `--unicodes` syntax. */
function ranges(set) {
  const points = [...set].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length; ) {
    let j = i;
    while (j + 1 < points.length && points[j + 1] === points[j] + 1) j++;
    const hex = (n) => n.toString(16).toUpperCase();
    out.push(i === j ? `U+${hex(points[i])}` : `U+${hex(points[i])}-${hex(points[j])}`);
    i = j + 1;
  }
  return out.join(",");
}

const core = expand(CORE_POINTS);
const extra = new Set([...expand(ALL_POINTS)].filter((c) => !core.has(c)));
export const CORE = ranges(core);
export const EXTRA = ranges(extra);
/** The name of a face's second file: `Marianne-Regular` → `Marianne-Regular-extra`. */
export const extraName = (face) => `${face}-extra`;

const FEATURES = "calt,ccmp,locl,kern,mark,mkmk,tnum";

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const source = path.join(root, "node_modules/@gouvfr/dsfr/dist/fonts");
  const target = path.join(root, "public/fonts");
  fs.mkdirSync(target, { recursive: true });
  const script = fs.statSync(fileURLToPath(import.meta.url)).mtimeMs;
  let written = 0;
  for (const file of fs.readdirSync(source).filter((f) => f.endsWith(".woff2"))) {
    const face = file.replace(/\.woff2$/, "");
    const from = path.join(source, file);
    const newest = Math.max(script, fs.statSync(from).mtimeMs);
    for (const [name, unicodes] of [
      [face, CORE],
      [extraName(face), EXTRA],
    ]) {
      const out = path.join(target, `${name}.woff2`);
      if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= newest) continue;
      execFileSync("pyftsubset", [
        from,
        `--unicodes=${unicodes}`,
        `--layout-features=${FEATURES}`,
        "--no-hinting",
        "--desubroutinize",
        "--flavor=woff2",
        `--output-file=${out}`,
      ]);
      written++;
    }
  }
  if (written > 0) console.log(`fonts: ${written} files written in public/fonts`);
}
