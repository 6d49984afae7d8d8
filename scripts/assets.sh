#!/usr/bin/env bash
# Copies the DSFR fonts and the icons we use from node_modules into public/, so that they are
# served from our own origin at the paths the DSFR stylesheet expects (/fonts, /icons).
set -euo pipefail
cd "$(dirname "$0")/.."
dsfr=node_modules/@gouvfr/dsfr/dist
mkdir -p public/fonts public/icons

# The DSFR fonts, each face cut in two files under one family with `unicode-range`: the
# characters French text uses, which every page loads (Marianne Regular 58 kB -> 9.9 kB), and
# the rest of Latin-1 and Latin Extended-A, fetched only by a page that has one of them
# (scripts/fonts.mjs, which scripts/dsfr-css.mjs reads to declare the faces).
node scripts/fonts.mjs
for category in system business buildings arrows map user document; do
  mkdir -p "public/icons/$category"
  cp -u "$dsfr/icons/$category"/*.svg "public/icons/$category/"
done

# The DSFR stylesheet, cut down to the rules whose classes the application's sources use, with
# its faces in `font-display: optional` instead of `swap` (scripts/dsfr-css.mjs, PurgeCSS): a
# font that has not arrived when the text is first drawn is not swapped in later, which moved
# the whole page on a first visit over a slow network (the header grows with Marianne;
# Lighthouse mobile CLS 0.20 on /programme). The files still arrive and serve the next pages.
# (Declaring the faces again later does not work: Chromium keeps both and swaps anyway.)
# Written again when a Rust source, our own stylesheet (the custom properties it reads are
# kept), the DSFR or the script is newer than it.
generated=style/generated/_dsfr.scss
rm -f style/generated/_dsfr-core.scss
if [ ! -f "$generated" ] || [ scripts/dsfr-css.mjs -nt "$generated" ] \
  || [ scripts/fonts.mjs -nt "$generated" ] \
  || [ node_modules/@gouvfr/dsfr/package.json -nt "$generated" ] \
  || [ -n "$(find app/src server/src frontend/src -name '*.rs' -newer "$generated" -print -quit)" ] \
  || [ -n "$(find style -maxdepth 1 -name '*.scss' -newer "$generated" -print -quit)" ]; then
  node scripts/dsfr-css.mjs
fi
