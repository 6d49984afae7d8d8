#!/usr/bin/env bash
# Issue 28: the cost of counting the audience on the event page. The same server and
# database are started with MIP_AUDIENCE=on, then off, alternately (ROUNDS times), and each
# time bench/http-load.sh measures /evenements/{slug} (served from the page cache): twice
# with counting on, once from one address (its allowance is spent after 100 counts: what a
# flood costs) and once from 4,096 addresses (`X-Forwarded-For`, as the proxy on loopback
# sends it: every request counted), once with counting off. Prints one JSON line per run and
# the ratios (on / off), never asserted; with --results FILE, writes them into FILE's
# « Audience » section (between <!-- audience:start --> and <!-- audience:end -->).
#   bench/audience.sh [--server BIN] [--site DIR] [--db FILE] [--port P] [--rounds N] [--results FILE]
#                     [--note TEXT]   (TEXT: a sentence about the run, written with the figures)
# Defaults: target/release/server, target/site, bench/out/edition-350.sqlite (copied: the
# original is left as it is), port 3210, 3 rounds. Environment: BENCH_DURATION, BENCH_WARMUP,
# BENCH_CONNECTIONS (bench/http-load.sh's).
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "bench/audience.sh: $*" >&2; exit 1; }
log() { printf '\033[1m[audience %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

server_bin=target/release/server site=target/site source_db=bench/out/edition-350.sqlite
port=3210 rounds=3 results="" note=""
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server_bin=$2; shift 2 ;;
    --site) site=$2; shift 2 ;;
    --db) source_db=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --note) note=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
done
[ -x "$server_bin" ] || die "no server binary at $server_bin"
base="http://127.0.0.1:$port"
work=$(mktemp -d /tmp/mip-audience-bench.XXXXXX)
db="$work/edition.sqlite"
if [ -f "$source_db" ]; then
  cp "$source_db" "$db"
else
  log "no $source_db: a demo edition in $db"
  DATABASE_URL="sqlite://$db" "$server_bin" load-demo >/dev/null
fi
# Many client addresses, as a proxy on loopback names them (the last X-Forwarded-For entry).
cat >"$work/addresses.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local i = n % 4096
  wrk.headers["X-Forwarded-For"] = string.format("10.77.%d.%d", math.floor(i / 256), i % 256)
  return wrk.format(nil)
end
LUA

server=""
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}
trap 'stop_server; rm -rf "$work"' EXIT

start_server() { # on|off
  if curl -s -o /dev/null "$base/healthz"; then die "port $port is already taken (--port)"; fi
  local hashed=false
  [ -f "$(dirname "$server_bin")/hash.txt" ] && hashed=true
  MIP_AUDIENCE=$1 DATABASE_URL="sqlite://$db" MIP_NOW=2026-11-10T08:00:00Z LEPTOS_SITE_ROOT="$site" \
    LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=$hashed LEPTOS_OUTPUT_NAME=mip \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_ENV=PROD RUST_LOG=warn MIP_PUBLIC_URL="$base" \
    taskset -c 0 "$server_bin" serve >"$work/server-$1.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    curl -sf "$base/healthz" >/dev/null && return 0
    kill -0 "$server" 2>/dev/null || die "the server exited: $(tail -3 "$work/server-$1.log")"
    sleep 0.2
  done
  die "the server did not answer within 60 s"
}

start_server on
event=$(curl -sf "$base/programme" | awk 'match($0, /href="\/evenements\/[^"\/?#]+"/) { print substr($0, RSTART + 6, RLENGTH - 7); exit }')
[ -n "$event" ] || die "no /evenements/… link in $base/programme"
stop_server
log "event page: $event; $rounds rounds of on (one address), on (4,096 addresses), off"

out="$work/runs.jsonl"
for round in $(seq 1 "$rounds"); do
  # Alternated: on first in odd rounds, off first in even ones (a drift of the machine then
  # weighs on both).
  modes="on off"
  [ $((round % 2)) -eq 0 ] && modes="off on"
  for mode in $modes; do
    start_server "$mode"
    if [ "$mode" = on ]; then
      bench/http-load.sh "$base$event" "on-one-address" | sed "s/^{/{\"round\":$round,/" | tee -a "$out"
      BENCH_WRK_SCRIPT="$work/addresses.lua" bench/http-load.sh "$base$event" "on-4096-addresses" \
        | sed "s/^{/{\"round\":$round,/" | tee -a "$out"
    else
      bench/http-load.sh "$base$event" "off" | sed "s/^{/{\"round\":$round,/" | tee -a "$out"
    fi
    stop_server
  done
done
# What the counting wrote (the last server stopped with counting on wrote its counts at exit).
counted=$(sqlite3 "$db" "SELECT coalesce(sum(count), 0) FROM audience WHERE kind = 'vue'" 2>/dev/null || echo "?")

summary=$(node -e '
  const fs = require("fs");
  const runs = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const by = (label) => runs.filter((r) => r.label === label);
  const med = (label, key) => median(by(label).map((r) => r[key]));
  const off = med("off", "rps");
  // Paired: the on of each round against the off of the same round, then their median.
  const offBy = Object.fromEntries(by("off").map((r) => [r.round, r.rps]));
  const row = (label) => ({ label, rps: by(label).map((r) => r.rps), medianRps: +med(label, "rps").toFixed(1),
    p50Ms: +med(label, "p50Ms").toFixed(2), p99Ms: +med(label, "p99Ms").toFixed(2), ratio: +(med(label, "rps") / off).toFixed(3),
    pairedRatio: +median(by(label).map((r) => r.rps / offBy[r.round])).toFixed(3),
    errors: by(label).reduce((n, r) => n + r.non2xx + r.socketErrors, 0) });
  console.log(JSON.stringify({ event: process.argv[2], counted: process.argv[3],
    rows: ["off", "on-one-address", "on-4096-addresses"].map(row) }));
' "$out" "$event" "$counted")
echo "$summary"

if [ -n "$results" ]; then
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
  git diff --quiet 2>/dev/null || commit="$commit with uncommitted changes"
  section=$(node -e '
    const s = JSON.parse(process.argv[1]);
    const lines = [
      "<!-- audience:start -->",
      "## Audience counting (issue 28)",
      "",
      `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, commit \`${process.argv[2]}\`, \`bench/audience.sh --server ${process.argv[3]} --rounds ${process.argv[4]}\`: \`${s.event}\` (from the page cache), ${process.env.BENCH_DURATION || "10s"} per run after ${process.env.BENCH_WARMUP || "2s"} of warm-up, ${process.env.BENCH_CONNECTIONS || 32} connections; the server restarted for each mode, on and off alternated. Goal: on ≥ 0.9 × off. ${process.argv[5]}`.trimEnd(),
      "",
      "| counting | requests/s per round | median | p50 / p99 (ms), medians | median on / median off | median of on / off per round | errors |",
      "| :-- | --: | --: | --: | --: | --: | --: |",
      ...s.rows.map((r) => `| ${r.label} | ${r.rps.join(", ")} | ${r.medianRps} | ${r.p50Ms} / ${r.p99Ms} | ${r.ratio} | ${r.pairedRatio} | ${r.errors} |`),
      "",
      `Page views written by the server (counting on, all rounds): ${s.counted}.`,
      "<!-- audience:end -->",
    ];
    console.log(lines.join("\n"));
  ' "$summary" "$commit" "$server_bin" "$rounds" "$note")
  node -e '
    const fs = require("fs");
    const [file, section] = process.argv.slice(1);
    let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const re = /<!-- audience:start -->[\s\S]*?<!-- audience:end -->/;
    text = re.test(text) ? text.replace(re, section) : text.replace(/(<!-- deadline-rush:start -->)/, section + "\n\n$1");
    if (!text.includes("<!-- audience:start -->")) text += "\n" + section + "\n";
    fs.writeFileSync(file, text);
  ' "$results" "$section"
  log "written into $results"
fi
