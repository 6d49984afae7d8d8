# Sourced by the scripts: the tools installed by setup.sh come first on PATH
# (npm's binaryen wasm-opt before any Debian one).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# cargo-leptos compiles with LEPTOS_OUTPUT_NAME set, and the leptos crate reads it at compile
# time (to name the wasm file in the hydration script). `cargo test` must see the same value,
# or it rebuilds the server binary with a wrong wasm name (and recompiles leptos every time).
export LEPTOS_OUTPUT_NAME=mip
# The SQL checked at compile time reads its query data from `.sqlx/` (committed), never from a
# database named by DATABASE_URL, which configures the server (scripts/sqlx-prepare.sh).
export SQLX_OFFLINE=true
