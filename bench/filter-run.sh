#!/usr/bin/env bash
# The filter latency alone (bench/filter-latency.mjs), as bench/run.sh measures it, on the
# release build already made (scripts/build-release.sh): for each size (default 3500 35000)
# the edition bench/out/edition-N.sqlite (generated if missing), the server on it pinned to
# core 0, 15 changes of each scenario. Prints each figure beside its ceiling, then the table
# with the machine and the date (bench/filter-table.mjs), to paste in RESULTS.md. Results in
# bench/out/filter/. BENCH_PORT (default 3200).
#   bench/filter-run.sh [sizes…]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(3500 35000)
port=${BENCH_PORT:-3200}
base="http://127.0.0.1:$port"
[ -x target/release/server ] || { echo "bench/filter-run.sh: no target/release/server (scripts/build-release.sh)" >&2; exit 1; }
wasm_hash=$(sed -n 's/^wasm: *//p' target/release/hash.txt 2>/dev/null)
[ -n "$wasm_hash" ] && [ -f "target/site/pkg/mip.$wasm_hash.wasm" ] \
  || { echo "bench/filter-run.sh: target/site is not the release build of target/release (scripts/build-release.sh)" >&2; exit 1; }

results=bench/out/filter
rm -rf "$results"
mkdir -p "$results"
node bench/report.mjs --machine >"$results/machine.json"
node -e 'console.log(JSON.stringify({ sizes: process.argv.slice(1).map(Number), started: new Date().toISOString() }))' \
  "${sizes[@]}" >"$results/run.json"

server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT
for n in "${sizes[@]}"; do
  db="bench/out/edition-$n.sqlite"
  [ -f "$db" ] || DATABASE_URL="sqlite://$PWD/$db" target/release/server load-demo --events "$n" >/dev/null
  if curl -s -o /dev/null "$base/"; then echo "bench/filter-run.sh: port $port is taken (BENCH_PORT)" >&2; exit 1; fi
  DATABASE_URL="sqlite://$PWD/$db" MIP_NOW=2026-11-10T08:00:00Z LEPTOS_SITE_ROOT=target/site \
    LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_ENV=PROD \
    RUST_LOG=warn MIP_PUBLIC_URL="$base" taskset -c 0 target/release/server serve >"$results/server-$n.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
  mkdir -p "$results/$n"
  node bench/filter-latency.mjs "$base" 15 >"$results/$n/filter.json"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
node bench/filter-table.mjs "$results"
