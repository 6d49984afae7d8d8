#!/usr/bin/env bash
# The production build: the server in release on stable Rust, the browser's wasm in release on
# the nightly toolchain with its standard library rebuilt for size. Extra arguments go to both
# cargo-leptos commands. Run by scripts/run.sh, bench/run.sh and scripts/test.sh (which
# passes the release build through the browser tests); scripts/setup.sh installs the nightly
# toolchain with its sources (`rust-src`) and wasm target.
#
# Why the nightly for the wasm: `-Zbuild-std` compiles core/alloc/std for the wasm with the
# profile's `opt-level = "z"` and `optimize_for_size`, and `-Cpanic=immediate-abort` with
# `-Zlocation-detail=none` drops the panic machinery (message formatting, the source file
# and line of every `unwrap`): the main wasm every visitor loads went from 392 to 249 kB
# (137 → 86 kB brotli, measured 2026-12-03). A panic in the browser then stops the wasm
# without a message in the console (the debug build, which the tests also run, keeps them).
# The server is not concerned: it builds on stable, with its panics and messages.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
unset RUSTFLAGS

# The wasm (and the stylesheet, the static files and their precompressed copies).
nightly_components=$(rustup component list --installed --toolchain nightly 2>/dev/null || true)
if grep -q '^rust-src' <<<"$nightly_components" && grep -q 'wasm32-unknown-unknown' <<<"$nightly_components"; then
  CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
    cargo +nightly leptos build --release --split --precompress --frontend-only "$@"
else
  # The same app, a bigger wasm (137 kB brotli instead of 86): say so rather than fail.
  echo "build-release.sh: WARNING: no nightly toolchain with rust-src and the wasm target" \
    "(scripts/setup.sh installs them): the wasm is built on stable, with the precompiled" \
    "standard library" >&2
  cargo leptos build --release --split --precompress --frontend-only "$@"
fi

# The server, which reads the file names (hashes) the front's build wrote in target/release.
cargo leptos build --release --split --precompress --server-only "$@"
