#!/usr/bin/env bash
# Copies the DSFR fonts and the icons we use from node_modules into public/, so that they are
# served from our own origin at the paths the DSFR stylesheet expects (/fonts, /icons).
set -euo pipefail
cd "$(dirname "$0")/.."
dsfr=node_modules/@gouvfr/dsfr/dist
mkdir -p public/fonts public/icons
cp -u "$dsfr"/fonts/*.woff2 public/fonts/
for category in system business buildings arrows map user document; do
  mkdir -p "public/icons/$category"
  cp -u "$dsfr/icons/$category"/*.svg "public/icons/$category/"
done

# The DSFR core stylesheet with its faces in `font-display: optional` instead of `swap`: a
# font that has not arrived when the text is first drawn is not swapped in later, which moved
# the whole page on a first visit over a slow network (the header grows with Marianne;
# Lighthouse mobile CLS 0.20 on /programme). The files still arrive and serve the next pages.
# (Declaring the faces again later does not work: Chromium keeps both and swaps anyway.)
mkdir -p style/generated
core_css="$dsfr/core/core.main.min.css"
generated=style/generated/_dsfr-core.scss
if [ ! -f "$generated" ] || [ "$core_css" -nt "$generated" ] || [ "$0" -nt "$generated" ]; then
  sed 's/font-display:swap/font-display:optional/g' "$core_css" >"$generated"
  grep -q 'font-display:optional' "$generated" || { echo "assets.sh: no font-display in $core_css" >&2; exit 1; }
fi
