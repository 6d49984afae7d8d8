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
