#!/usr/bin/env bash
# Starts the debug server for the end-to-end tests on a fresh database with the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
db_dir=end2end/.e2e-db${E2E_DB_SUFFIX:-}
rm -rf "$db_dir" && mkdir -p "$db_dir"
export DATABASE_URL="sqlite://$PWD/$db_dir/e2e.sqlite"
export MIP_NOW="2026-11-10T08:00:00Z"
export MIP_OUTBOX_DIR="$PWD/$db_dir/outbox"
export MIP_PUBLIC_URL="http://127.0.0.1:${E2E_PORT:-3100}"
export LEPTOS_OUTPUT_NAME=mip
export LEPTOS_SITE_ROOT="${E2E_SITE_ROOT:-target/site}"
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3100}"
export LEPTOS_ENV=PROD
# Built with hash-files (Cargo.toml): the page names pkg/mip.<hash>.* from target/debug/hash.txt.
export LEPTOS_HASH_FILES=true
export RUST_LOG=${RUST_LOG:-warn}
# E2E_SERVER: another build of the server (target/release/server: the release build, its wasm included).
# --demo: the demo accounts' random passwords are kept in $db_dir/demo-accounts.json, which
# the tests read (support.ts).
exec "${E2E_SERVER:-target/debug/server}" --demo
