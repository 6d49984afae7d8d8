#!/usr/bin/env bash
# Sets up what is missing, then runs every test: unit and database tests (cargo), HTTP tests
# through the real router, and the Playwright suite in Debian's Chromium, twice
# (JavaScript off: the server-rendered site; JavaScript on: the hydrated app), then once more
# with JavaScript on the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
source scripts/env.sh

# A CI run starts from a clean checkout and builds once: incremental compilation's caches would
# only take disk (one CI run died of a full disk while linking the tests).
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "dependency audit (cargo audit: Cargo.lock against the RustSec database, offline)"
# ../shared/advisory-db.tgz: a snapshot (shallow git clone) of the RustSec advisory database,
# beside the repository. A vulnerability fails the run, and so does any other advisory
# (unmaintained, unsound, yanked) that is not explained in the README (« Sécurité »,
# « Dépendances ») and ignored here by its id.
advisory_tgz="$(dirname "$PWD")/shared/advisory-db.tgz"
# Extracted once, again when the snapshot is newer (the stamp is written last: an interrupted
# extraction is redone).
if [ ! -f target/advisory-db/.extracted ] || [ "$advisory_tgz" -nt target/advisory-db/.extracted ]; then
  rm -rf target/advisory-db && mkdir -p target/advisory-db
  tar xzf "$advisory_tgz" -C target/advisory-db
  touch target/advisory-db/.extracted
fi
cargo audit --db target/advisory-db/adb --no-fetch --stale --deny warnings \
  --ignore RUSTSEC-2024-0436 --ignore RUSTSEC-2023-0071

step "style (rustfmt, clippy with warnings as errors, on both builds: server and browser)"
cargo fmt --all --check
RUSTFLAGS="--cfg erase_components" cargo clippy -p app -p server --all-targets --features app/ssr -- -D warnings
# The browser's build (hydrate, wasm32) in a target folder of its own: clippy's artifacts do
# not replace cargo-leptos' ones, and a warm run rechecks only what changed.
RUSTFLAGS="--cfg erase_components" cargo clippy -p frontend -p app --lib --target wasm32-unknown-unknown \
  --target-dir target/front-clippy --no-default-features --features app/hydrate -- -D warnings

step "SQL checked at compile time (scripts/sqlx-prepare.sh --check: the queries against a database made by the migrations alone, and .sqlx/ up to date)"
scripts/sqlx-prepare.sh --check

step "sizes (scripts/sizes.py: files over 800 lines and functions over 150 may shrink, never grow)"
python3 scripts/sizes.py

step "build (cargo leptos build: server, wasm, stylesheet)"
# --split: the organizer's event form (a lazy island) is a wasm chunk loaded on demand.
cargo leptos build --split

# Same flags as cargo-leptos' debug server build, so the tests reuse its compiled deps.
export RUSTFLAGS="--cfg erase_components"

step "unit tests (app: types, validation, formatting)"
cargo test -p app --features ssr

step "database and HTTP tests (server)"
cargo test -p server

step "crash durability and graceful stops (bench/crash.mjs: 10 rounds of SIGKILL, then of SIGTERM, under 18 writing clients)"
# The full run (100 rounds, release build) is a benchmark: bench/run.sh, bench/RESULTS.md.
node bench/crash.mjs --rounds 10 --server target/debug/server --self-test 1
# The same load stopped by SIGTERM: the server exits 0, and every request that reached it gets
# its answer (or its connection is refused: nothing written, it can be sent again).
node bench/crash.mjs --rounds 10 --server target/debug/server --signal TERM

step "end-to-end tests (Playwright, Debian Chromium; JavaScript off, then on)"
(cd end2end && npx playwright test)

# The production build differs from the debug one where the browser is concerned: its wasm is
# built on the nightly with the standard library rebuilt for size and without the panic
# machinery (scripts/build-release.sh). The browser tests run again on what ships.
step "release build (scripts/build-release.sh)"
unset RUSTFLAGS
scripts/build-release.sh

step "end-to-end tests on the release build (JavaScript on)"
cd end2end
E2E_SERVER=target/release/server npx playwright test --project=avec-js
