#!/usr/bin/env bash
# Sets up what is missing, builds for production (scripts/build-release.sh), then serves the
# app at http://127.0.0.1:3000 on the embedded default: data/mip.sqlite, created with the demo
# on first start (`--demo`: its accounts' random passwords are printed then and kept in
# data/demo-accounts.json, readable by you only). Arguments go to the server (`--help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-release.sh
# What `cargo leptos serve --release` would set; hash-files: the page names
# pkg/mip.<hash>.* from target/release/hash.txt.
export LEPTOS_OUTPUT_NAME=mip
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
export LEPTOS_ENV=PROD
export LEPTOS_HASH_FILES=true
echo "Serving http://$LEPTOS_SITE_ADDR"
exec target/release/server --demo "$@"
