// Writes, beside each file, its strongest precompressed encodings: FILE.br (brotli, quality
// 11; quality 9 above 8 MiB, where 11 would take minutes) and FILE.gz (gzip, level 9), as a
// static server would be given them. Prints their sizes as JSON.
// Usage: node bench/precompress.mjs FILE...
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

export function encodings(data) {
  return {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }),
    brotli: brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: data.length > 8 * 1024 * 1024 ? 9 : 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node bench/precompress.mjs FILE...");
    process.exit(2);
  }
  const out = {};
  for (const file of files) {
    const e = encodings(readFileSync(file));
    writeFileSync(`${file}.gz`, e.gzip);
    writeFileSync(`${file}.br`, e.brotli);
    out[file] = { raw: e.raw, gzip: e.gzip.length, brotli: e.brotli.length };
  }
  console.log(JSON.stringify(out));
}
