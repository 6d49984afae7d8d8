#!/usr/bin/env bash
# Sets up what is missing, then serves the app at http://127.0.0.1:3000 on the embedded
# default: data/mip.sqlite, created with the demo on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
# --split: lazy routes in their own wasm chunks; --precompress: static files served as .br/.gz.
exec cargo leptos serve --release --split --precompress "$@"
