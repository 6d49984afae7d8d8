#!/usr/bin/env bash
# Benchmarks (figures, never assertions). One command:
#   bench/run.sh [--quick] [sizes…]      default sizes: 350 3500 35000; --quick = 350 only
# Installs what is missing (wrk, nginx and its brotli_static module from apt; Lighthouse into
# bench/node_modules), builds in release, and for each size generates an edition (the demo
# with that many events in the current edition, kept in bench/out/), starts the server on it
# (loopback, pinned to core 0) and measures:
#   - HTTP load (wrk on core 1): requests/s, p50/p99 for /, /programme, /programme?theme=…,
#     an event page and /api/v1/events.json, with a browser's Accept-Encoding;
#   - the same responses served by nginx as precompressed static files, and the ratio;
#   - the server's memory (RSS) before and after the load;
#   - the bytes of a first visit (headless Chromium) of /, /programme and the event page;
#   - the filter latency on /programme (bench/filter-latency.mjs);
#   - Lighthouse, mobile and desktop, on one size only (350, or else the first size given);
#   - crash durability (bench/crash.mjs) and the deadline rush (bench/deadline-rush.mjs);
#   - the staff pages at scale (bench/staff-pages.sh: moderation, bulk publication, report,
#     CSV import, exports, organizer dashboard; sizes of 3,500 events and more).
# Then bench/report.mjs prints the tables and writes bench/RESULTS.md.
# Environment: BENCH_SKIP_BUILD=1 (use the existing release build), BENCH_SKIP_LIGHTHOUSE=1,
# BENCH_SKIP_FILTER=1, BENCH_SKIP_NGINX=1, BENCH_SKIP_CRASH=1, BENCH_SKIP_RUSH=1, BENCH_SKIP_AUDIENCE=1, BENCH_SKIP_STAFF=1, BENCH_DURATION=10s, BENCH_WARMUP=2s,
# BENCH_CONNECTIONS=32, BENCH_LIGHTHOUSE_RUNS=3, BENCH_PORT=3200 (nginx: BENCH_PORT+1).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '\033[1m[bench %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }

sizes=()
for arg in "$@"; do
  case "$arg" in
    --quick) sizes=(350) ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;;
    *[!0-9]*|'') die "unknown argument: $arg (try --help)" ;;
    *) sizes+=("$arg") ;;
  esac
done
[ ${#sizes[@]} -eq 0 ] && sizes=(350 3500 35000)
# Lighthouse runs on one edition only (it is slow and barely depends on the size, since the
# programme shows 20 cards): 350 when measured, else the first size given.
lighthouse_size=${sizes[0]}
for n in "${sizes[@]}"; do [ "$n" = 350 ] && lighthouse_size=350; done

port=${BENCH_PORT:-3200}
nginx_port=$((port + 1))
base="http://127.0.0.1:$port"
export BENCH_DURATION=${BENCH_DURATION:-10s} BENCH_WARMUP=${BENCH_WARMUP:-2s}
export BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-32} BENCH_WRK_CORE=1
[ "$(nproc)" -ge 2 ] || die "needs 2 cores at least (server on core 0, load generator on core 1)"

# --- Tools -------------------------------------------------------------------------------
scripts/setup.sh --test
source scripts/env.sh
apt_needed=()
command -v wrk >/dev/null || apt_needed+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_needed+=(nginx)
[ -f /usr/share/nginx/modules/ngx_http_brotli_static_module.so ] || apt_needed+=(libnginx-mod-http-brotli-static)
command -v taskset >/dev/null || apt_needed+=(util-linux)
command -v curl >/dev/null || apt_needed+=(curl)
if [ ${#apt_needed[@]} -gt 0 ]; then
  log "apt: ${apt_needed[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_needed[@]}" >/dev/null \
    || die "apt-get install ${apt_needed[*]} failed"
  # The bench runs its own nginx: a system service that the install just started (where
  # systemd runs and no policy-rc.d forbids it) is stopped and disabled again.
  if [[ " ${apt_needed[*]} " == *" nginx "* ]] && command -v systemctl >/dev/null \
    && systemctl is-active --quiet nginx 2>/dev/null; then
    $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
fi
command -v wrk >/dev/null || die "wrk is still missing"
[ -f /usr/share/nginx/modules/ngx_http_brotli_static_module.so ] \
  || log "nginx's brotli_static module is missing: nginx will serve gzip only"
if [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  log "npm ci in bench/ (Lighthouse)"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- Build -------------------------------------------------------------------------------
if [ "${BENCH_SKIP_BUILD:-0}" = 1 ]; then
  log "release build skipped (BENCH_SKIP_BUILD=1)"
else
  # As scripts/run.sh serves in production: lazy routes split into their own wasm chunks,
  # static files precompressed (.br/.gz beside them), the wasm built for size on the nightly.
  log "scripts/build-release.sh"
  scripts/build-release.sh >/dev/null
fi
[ -x target/release/server ] || die "no target/release/server (build in release first)"
ls target/site/pkg/*.wasm >/dev/null 2>&1 || die "no wasm in target/site/pkg (build in release first)"
# target/site is shared by the debug and release builds: the site must be the release one.
wasm_hash=$(sed -n 's/^wasm: *//p' target/release/hash.txt 2>/dev/null)
[ -n "$wasm_hash" ] && [ -f "target/site/pkg/mip.$wasm_hash.wasm" ] \
  || die "target/site holds another build than target/release (a debug build since?): build in release again (without BENCH_SKIP_BUILD)"

results=bench/out/results
rm -rf "$results" bench/out/static bench/out/lighthouse
mkdir -p "$results"
node bench/report.mjs --machine >"$results/machine.json"
node -e 'console.log(JSON.stringify({ sizes: process.argv[1].split(" ").map(Number),
  lighthouseSize: Number(process.argv[2]), skipLighthouse: process.argv[3] === "1",
  duration: process.env.BENCH_DURATION, warmup: process.env.BENCH_WARMUP,
  connections: Number(process.env.BENCH_CONNECTIONS), started: new Date().toISOString() }))' \
  "${sizes[*]}" "$lighthouse_size" "${BENCH_SKIP_LIGHTHOUSE:-0}" >"$results/run.json"
node bench/assets-size.mjs target/site/pkg >"$results/assets.json"

# --- Processes ---------------------------------------------------------------------------
server=""
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}
cleanup() { stop_server; bench/nginx.sh stop || true; }
trap cleanup EXIT

start_server() { # DB
  if curl -s -o /dev/null "$base/"; then die "port $port is already taken (set BENCH_PORT)"; fi
  # LEPTOS_HASH_FILES: built with hash-files, the page names pkg/mip.<hash>.* from
  # target/release/hash.txt (cargo-leptos sets it when it runs the server itself).
  DATABASE_URL="sqlite://$PWD/$1" MIP_NOW=2026-11-10T08:00:00Z LEPTOS_SITE_ROOT=target/site \
    LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_ENV=PROD RUST_LOG=warn MIP_PUBLIC_URL="http://127.0.0.1:$port" \
    taskset -c 0 target/release/server serve >"$results/server-$n.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    curl -sf "$base/healthz" >/dev/null && return 0
    kill -0 "$server" 2>/dev/null || die "the server exited (see $results/server-$n.log)"
    sleep 0.2
  done
  die "the server did not answer $base/healthz within 60 s"
}

memory() { # LABEL: the server's resident memory now and its peak (kB)
  [ -r "/proc/$server/status" ] || die "the server is gone (see $results/server-$n.log)"
  awk -v label="$1" '/^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 }
    END { printf "\"%s\":{\"rssKb\":%d,\"hwmKb\":%d}", label, rss, hwm }' "/proc/$server/status"
}

# --- Each size ---------------------------------------------------------------------------
for n in "${sizes[@]}"; do
  dir="$results/$n"
  mkdir -p "$dir"
  db="bench/out/edition-$n.sqlite"
  if [ ! -f "$db" ]; then
    log "$n events: generating $db"
    DATABASE_URL="sqlite://$PWD/$db" target/release/server load-demo --events "$n" >/dev/null
  fi
  log "$n events: starting the server"
  start_server "$db"

  # The pages: the first event linked from the programme, and one theme (a canonical URL,
  # as Filters::href writes it: any other spelling is a 303 to it).
  curl -sf "$base/programme" -o "$dir/programme.html" || die "$base/programme failed"
  event=$(awk 'match($0, /href="\/evenements\/[^"\/?#]+"/) { print substr($0, RSTART + 6, RLENGTH - 7); exit }' "$dir/programme.html")
  [ -n "$event" ] || die "no /evenements/… link in $base/programme"
  pages=("accueil|/|html" "programme|/programme|html" "programme-theme|/programme?theme=coproduction|html"
    "evenement|$event|html" "api-events|/api/v1/events.json|json")
  printf '%s\n' "$event" >"$dir/event-path.txt"

  memory_idle=$(memory idle)
  log "$n events: HTTP load on our server (${#pages[@]} URLs × $BENCH_WARMUP + $BENCH_DURATION)"
  for p in "${pages[@]}"; do
    IFS='|' read -r name path _ <<<"$p"
    bench/http-load.sh "$base$path" "$name" >>"$dir/http.jsonl"
  done
  memory_loaded=$(memory after_load)

  if [ "$n" = "${sizes[0]}" ]; then
    log "$n events: password-reset flood (200 made-up links, 50 at a time)"
    node bench/reset-flood.mjs "$base" "$server" 200 50 >"$dir/reset-flood.json"
  fi

  log "$n events: first visit (Chromium)"
  node bench/first-visit.mjs "$base" / /programme "$event" >"$dir/first-visit.json"

  if [ "${BENCH_SKIP_FILTER:-0}" != 1 ]; then
    log "$n events: filter latency (Chromium)"
    node bench/filter-latency.mjs "$base" 15 >"$dir/filter.json"
  fi

  if [ "$n" = "$lighthouse_size" ] && [ "${BENCH_SKIP_LIGHTHOUSE:-0}" != 1 ]; then
    log "$n events: Lighthouse (3 pages × mobile, desktop)"
    node bench/lighthouse.mjs "$base" bench/out/lighthouse / /programme "$event" >"$dir/lighthouse.json"
  fi

  # The same bodies, uncompressed, as static files for nginx (with .br and .gz beside them).
  static="bench/out/static/$n"
  mkdir -p "$static"
  for p in "${pages[@]}"; do
    IFS='|' read -r name path ext <<<"$p"
    curl -sf "$base$path" -o "$static/$name.$ext" || die "$base$path failed"
  done
  echo "{$memory_idle,$memory_loaded,$(memory end)}" >"$dir/memory.json"
  stop_server

  if [ "${BENCH_SKIP_NGINX:-0}" != 1 ]; then
    log "$n events: the same responses, precompressed, from nginx"
    node bench/precompress.mjs "$static"/*.html "$static"/*.json >"$dir/precompressed.json"
    bench/nginx.sh start "$static" "$nginx_port"
    for p in "${pages[@]}"; do
      IFS='|' read -r name _ ext <<<"$p"
      bench/http-load.sh "http://127.0.0.1:$nginx_port/$name.$ext" "$name" >>"$dir/nginx.jsonl"
    done
    bench/nginx.sh stop
  fi
done

if [ "${BENCH_SKIP_CRASH:-0}" != 1 ]; then
  log "crash durability: 100 rounds of SIGKILL under load (bench/crash.mjs)"
  node bench/crash.mjs --rounds 100 --server target/release/server >"$results/crash.json"
  node bench/crash.mjs --rounds 100 --server target/release/server --signal TERM >"$results/crash-term.json"
fi

node -e 'const fs = require("fs"); const f = process.argv[1]; const r = JSON.parse(fs.readFileSync(f));
  r.finished = new Date().toISOString(); fs.writeFileSync(f, JSON.stringify(r))' "$results/run.json"
node bench/report.mjs "$results" bench/RESULTS.md

# The deadline rush (issue 29): its own server and database, after the report, which it
# completes with its section (bench/deadline-rush.mjs; runnable alone).
if [ "${BENCH_SKIP_RUSH:-0}" != 1 ]; then
  log "deadline rush: 500 organizers and 3 moderators through the API, beside SQLite's ceiling (bench/deadline-rush.mjs)"
  node bench/deadline-rush.mjs --server target/release/server --results bench/RESULTS.md >/dev/null \
    || log "deadline rush: requests failed or the database differs from the acknowledged writes (see bench/RESULTS.md)"
fi

# Audience counting (issue 28): the event page with counting on and off, alternated, written
# into its section of RESULTS.md (bench/audience.sh; runnable alone).
if [ "${BENCH_SKIP_AUDIENCE:-0}" != 1 ]; then
  log "audience: /evenements/{slug} with counting on and off (bench/audience.sh)"
  bench/audience.sh --server target/release/server --port "$((port + 10))" --results bench/RESULTS.md >/dev/null \
    || log "audience: the measure failed (see above)"
fi

# Staff pages at scale (issue 29, part 2): its own editions (3,500 submitted events, an
# organizer with 200 events), the release server on port BENCH_PORT+30, written into its
# section of RESULTS.md (bench/staff-pages.sh; runnable alone). Sizes under 3,500 are left out.
if [ "${BENCH_SKIP_STAFF:-0}" != 1 ]; then
  staff_sizes=()
  for n in "${sizes[@]}"; do [ "$n" -ge 3500 ] && staff_sizes+=("$n"); done
  [ ${#staff_sizes[@]} -eq 0 ] && staff_sizes=(3500)
  log "staff pages: ${staff_sizes[*]} events (bench/staff-pages.sh)"
  bench/staff-pages.sh --server target/release/server --port "$((port + 30))" --results bench/RESULTS.md "${staff_sizes[@]}" >/dev/null \
    || log "staff pages: the measure failed (see above)"
fi
