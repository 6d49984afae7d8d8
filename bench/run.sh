#!/usr/bin/env bash
# Benchmarks (figures, never assertions). One command:
#   bench/run.sh [sizes…]     default sizes: 350 3500 35000
# Builds in release, generates an edition of each size (the demo with that many events in
# the current edition), starts the server on it (loopback), and measures in headless Chromium
# the time from a filter change to the updated list. Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
source scripts/env.sh
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(350 3500 35000)

cargo leptos build --release >/dev/null
mkdir -p bench/out
port=3200
printf '\n| events | first load to hydrated (ms) | frame floor (ms) | text: count / frame median, p90 (ms) | theme: count / frame median, p90 (ms) | region: count / frame median, p90 (ms) |\n'
printf '|---:|---:|---:|---:|---:|---:|\n'
for n in "${sizes[@]}"; do
  db="bench/out/edition-$n.sqlite"
  if [ ! -f "$db" ]; then
    DATABASE_URL="sqlite://$PWD/$db" target/release/server load-demo --events "$n" >/dev/null
  fi
  DATABASE_URL="sqlite://$PWD/$db" MIP_NOW=2026-11-10T08:00:00Z LEPTOS_SITE_ROOT=target/site \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_ENV=PROD RUST_LOG=warn \
    taskset -c 0 target/release/server serve --no-demo >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  json=$(node bench/filter-latency.mjs "http://127.0.0.1:$port" 15)
  kill "$server"; wait "$server" 2>/dev/null || true
  node -e '
    const r = JSON.parse(process.argv[1]); const f = (x) => x.toFixed(1);
    const s = (k) => `${f(r.results[k].countMedian)} / ${f(r.results[k].median)}, ${f(r.results[k].p90)}`;
    console.log(`| ${process.argv[2]} | ${r.loadMs} | ${f(r.floorMs)} | ${s("texte (frappe)")} | ${s("thème (case)")} | ${s("région (case)")} |`);
  ' "$json" "$n"
done
