// Sizes of the built front-end (every file under the site's pkg directory: wasm, including
// split chunks, their JS, the stylesheet), raw, gzip -9 and brotli -q 11 (Node's zlib, the
// strongest settings, as a precompressing server would serve them). Precompressed siblings
// (.br, .gz, .zst) and source maps are left out. Prints JSON with the total of wasm + JS;
// bench/report.mjs also totals the part a visitor's browser actually loaded.
// Usage: node bench/assets-size.mjs [target/site/pkg]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encodings } from "./precompress.mjs";

const dir = process.argv[2] ?? "target/site/pkg";
let names;
try {
  names = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(wasm|js|css)$/.test(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.replace(/\/$/, "").length + 1));
} catch {
  console.error(`bench/assets-size.mjs: no ${dir} (build first: cargo leptos build --release)`);
  process.exit(1);
}
if (!names.some((n) => n.endsWith(".wasm"))) {
  console.error(`bench/assets-size.mjs: no .wasm in ${dir} (build first: cargo leptos build --release)`);
  process.exit(1);
}
const files = names.sort().map((name) => {
  const e = encodings(readFileSync(join(dir, name)));
  return { name, raw: e.raw, gzip: e.gzip.length, brotli: e.brotli.length };
});
const sum = (list, k) => list.reduce((s, f) => s + f[k], 0);
const code = files.filter((f) => /\.(wasm|js)$/.test(f.name));
console.log(JSON.stringify({
  dir,
  files,
  wasmJs: { raw: sum(code, "raw"), gzip: sum(code, "gzip"), brotli: sum(code, "brotli") },
}));
