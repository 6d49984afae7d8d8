#!/usr/bin/env bash
# Sets up what is missing, then runs every test: unit and database tests (cargo), HTTP tests
# through the real router, and the Playwright suite in Debian's Chromium, twice
# (JavaScript off: the server-rendered site; JavaScript on: the hydrated app).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
source scripts/env.sh

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "build (cargo leptos build: server, wasm, stylesheet)"
# --split: the organizer's event form (a lazy island) is a wasm chunk loaded on demand.
cargo leptos build --split

# Same flags as cargo-leptos' debug server build, so the tests reuse its compiled deps.
export RUSTFLAGS="--cfg erase_components"

step "unit tests (app: types, validation, formatting)"
cargo test -p app --features ssr

step "database and HTTP tests (server)"
cargo test -p server

step "end-to-end tests (Playwright, Debian Chromium; JavaScript off, then on)"
cd end2end
npx playwright test
