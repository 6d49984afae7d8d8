#!/usr/bin/env bash
# Issue 29, part 2: the staff pages at scale (server time p50/p99 of /moderation with 3,500
# submitted events, a bulk publication of 350, the edition's report and its CSV, the admin CSV
# import of 3,500 rows, both exports, /organisateur for an organizer with 200 events), each
# beside its goal. One fresh edition per size (load-demo into bench/out/staff/), the release
# server on loopback (port 3230), real sessions. Figures, never assertions.
#   bench/staff-pages.sh [sizes…]                 default 3500 35000
#   bench/staff-pages.sh --server target/debug/server 3500
# Options (bench/staff-pages.mjs): --server BIN, --site DIR, --port P, --requests N,
# --budget S, --publish-rounds N, --import-rounds N, --results FILE (writes its section of
# RESULTS.md). Environment: BENCH_STAFF_RESULTS=bench/RESULTS.md does the same as --results.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "bench/staff-pages.sh: needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
extra=()
[ -n "${BENCH_STAFF_RESULTS:-}" ] && extra+=(--results "$BENCH_STAFF_RESULTS")
exec node bench/staff-pages.mjs "${extra[@]}" "$@"
