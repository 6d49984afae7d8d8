#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine, skipping what is present.
#   scripts/setup.sh          tools to build and run the app
#   scripts/setup.sh --test   also the browser and tools the tests need
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
CARGO_AUDIT_VERSION=0.22.2
# Must equal the `wasm-bindgen` pinned in Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)

with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true

export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# System packages (apt): a C compiler for SQLite, Node for the DSFR/sass/binaryen helpers,
# Debian's Chromium for the browser tests (Playwright must never download its own).
apt_needed=()
command -v cc >/dev/null || apt_needed+=(build-essential)
command -v pkg-config >/dev/null || apt_needed+=(pkg-config)
command -v node >/dev/null || apt_needed+=(nodejs)
command -v npm >/dev/null || apt_needed+=(npm)
command -v sqlite3 >/dev/null || apt_needed+=(sqlite3)
command -v pyftsubset >/dev/null || apt_needed+=(fonttools python3-brotli)
if $with_tests; then
  command -v chromium >/dev/null || apt_needed+=(chromium)
  fc-list 2>/dev/null | grep -qi dejavu || apt_needed+=(fonts-dejavu-core)
  # The W3C Nu HTML checker (npm vnu-jar) runs on Java.
  command -v java >/dev/null || apt_needed+=(default-jre-headless)
  # The poster of an event printed to PDF, read back (end2end/tests/kit.spec.ts): poppler's
  # pdfinfo, pdftotext and pdftoppm, and zbar's zbarimg for its QR code.
  command -v pdftotext >/dev/null || apt_needed+=(poppler-utils)
  command -v zbarimg >/dev/null || apt_needed+=(zbar-tools)
fi
if [ ${#apt_needed[@]} -gt 0 ]; then
  log "apt: ${apt_needed[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_needed[@]}" >/dev/null
fi

# Rust: the wasm target, the nightly toolchain beside stable, cargo-leptos and the wasm-bindgen
# CLI, each installed once. The nightly builds the release wasm with its standard library
# rebuilt for size (scripts/build-release.sh: rust-src and its own wasm target) and installs
# cargo-leptos (--locked needs a newer compiler than stable 1.95).
rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if $with_tests; then
  # scripts/test.sh checks the style: rustfmt and clippy (absent from rustup's minimal profile).
  installed=$(rustup component list --installed)
  grep -q '^rustfmt' <<<"$installed" || rustup component add rustfmt
  grep -q '^clippy' <<<"$installed" || rustup component add clippy
fi
if ! rustup toolchain list | grep -q '^nightly'; then
  log "rustup: nightly toolchain"
  rustup toolchain install nightly --profile minimal \
    || log "WARNING: no nightly toolchain: the release wasm will be built on stable, bigger (scripts/build-release.sh)"
fi
if rustup toolchain list | grep -q '^nightly'; then
  nightly_components=$(rustup component list --installed --toolchain nightly)
  if ! grep -q '^rust-src' <<<"$nightly_components"; then
    log "rustup: the nightly's rust-src (the standard library's sources, for the release wasm)"
    rustup component add rust-src --toolchain nightly \
      || log "WARNING: no rust-src: the release wasm will be built on stable, bigger (scripts/build-release.sh)"
  fi
  grep -q 'wasm32-unknown-unknown' <<<"$nightly_components" \
    || rustup target add wasm32-unknown-unknown --toolchain nightly \
    || log "WARNING: no wasm target for the nightly: the release wasm will be built on stable, bigger"
fi
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "cargo-leptos $CARGO_LEPTOS_VERSION (compiles for 10–25 minutes, once)"
  # A tool, not what ships: built without LTO and at opt-level 1, which saves most of its
  # compile time on 2 cores (the environment overrides the package's own release profile).
  export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1
  if rustup toolchain list | grep -q '^nightly'; then
    cargo +nightly install --locked cargo-leptos --version "$CARGO_LEPTOS_VERSION" --features no_downloads
  else
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --features no_downloads
  fi
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if $with_tests && ! cargo audit --version 2>/dev/null | grep -q "$CARGO_AUDIT_VERSION"; then
  # scripts/test.sh checks Cargo.lock against the RustSec database (../shared/advisory-db.tgz).
  log "cargo-audit $CARGO_AUDIT_VERSION (compiles for about 8 minutes, once)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install --locked cargo-audit --version "$CARGO_AUDIT_VERSION"
fi

# Python's aiosmtpd: the real SMTP server that the mail tests start on loopback
# (server/tests/suite/mail_queue.rs; under CI a missing one fails them). From PyPI with the python3
# on PATH; Debian's own Python refuses pip outside a virtual environment (PEP 668), or has no
# pip: then Debian's package.
if $with_tests && ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  log "python: aiosmtpd (the mail tests' SMTP server)"
  if ! python3 -m pip install --quiet --disable-pip-version-check aiosmtpd 2>/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-aiosmtpd >/dev/null
  fi
  python3 -c 'import aiosmtpd'
fi
# Python's prometheus_client: its text-format parser reads /metrics as a scraper does
# (server/tests/metrics.rs). Same route: PyPI, else Debian's package.
if $with_tests && ! python3 -c 'import prometheus_client' 2>/dev/null; then
  log "python: prometheus_client (the metrics test's parser)"
  if ! python3 -m pip install --quiet --disable-pip-version-check prometheus-client 2>/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-prometheus-client >/dev/null
  fi
  python3 -c 'import prometheus_client'
fi

# npm helpers: the DSFR, sass, binaryen's wasm-opt (Debian's breaks hydration), Playwright.
# --ignore-scripts: the DSFR's install script wants an interactive project set-up.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

# The OpenID provider that plays ProConnect in the tests (end2end/oidc: oidc-provider, its
# own lock file).
if [ ! -f end2end/oidc/node_modules/.package-lock.json ] \
  || [ end2end/oidc/package-lock.json -nt end2end/oidc/node_modules/.package-lock.json ]; then
  log "npm ci (end2end/oidc)"
  npm ci --prefix end2end/oidc --ignore-scripts --no-audit --no-fund --loglevel=error
fi

scripts/assets.sh
log "ready"
