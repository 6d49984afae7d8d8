#!/usr/bin/env bash
# Copies the DSFR fonts and the icons we use from node_modules into public/, so that they are
# served from our own origin at the paths the DSFR stylesheet expects (/fonts, /icons).
set -euo pipefail
cd "$(dirname "$0")/.."
dsfr=node_modules/@gouvfr/dsfr/dist
mkdir -p public/fonts public/icons

# The DSFR fonts, cut down to the characters French text uses (ASCII, Latin-1, Œ œ Ÿ, the
# typographic punctuation and spaces of U+2000–206F, €, ™, −) and without TrueType hinting, as
# most font services serve them: Marianne Regular goes from 58 kB to 14 kB, and a first visit
# preloads three faces. Ligatures the fonts draw (fi, fl) stay, reached through their layout
# tables. A character outside the subset (a Polish or Czech letter of a name, say) is drawn
# by the fallback font (the DSFR stack ends with the system's sans-serif). Latin Extended-A
# and the combining accents weighed 5 kB a face. pyftsubset is fontTools' (Debian's
# `fonttools` package, installed by scripts/setup.sh).
unicodes="U+0020-007E,U+00A0-00FF,U+0152-0153,U+0178,U+02C6,U+02DC,U+2000-206F,U+20AC,U+2122,U+2212"
for font in "$dsfr"/fonts/*.woff2; do
  out="public/fonts/$(basename "$font")"
  if [ ! -f "$out" ] || [ "$font" -nt "$out" ] || [ "$0" -nt "$out" ]; then
    pyftsubset "$font" --unicodes="$unicodes" --no-hinting \
      --desubroutinize --flavor=woff2 --output-file="$out"
  fi
done
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
# Written again when a Rust source, the DSFR or the script is newer than it.
generated=style/generated/_dsfr.scss
rm -f style/generated/_dsfr-core.scss
if [ ! -f "$generated" ] || [ scripts/dsfr-css.mjs -nt "$generated" ] \
  || [ node_modules/@gouvfr/dsfr/package.json -nt "$generated" ] \
  || [ -n "$(find app/src server/src frontend/src -name '*.rs' -newer "$generated" -print -quit)" ]; then
  node scripts/dsfr-css.mjs
fi
