#!/usr/bin/env bash
# One bounded HTTP load on one URL, with wrk pinned to its own core and a browser's
# Accept-Encoding. Prints one JSON object: requests/s, p50/p99 latency (ms), the encoding and
# size of one response, and the errors wrk counted.
#   bench/http-load.sh URL [label]
# Environment (defaults): BENCH_DURATION=10s, BENCH_WARMUP=2s, BENCH_CONNECTIONS=32,
# BENCH_WRK_CORE=1 (the server under test is expected on another core), BENCH_WRK_SCRIPT (a
# wrk Lua script for the measure, e.g. one that varies a header: bench/audience.sh).
set -euo pipefail
die() { echo "bench/http-load.sh: $*" >&2; exit 1; }

url=${1:?usage: bench/http-load.sh URL [label]}
label=${2:-$url}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-32}
core=${BENCH_WRK_CORE:-1}
case "$url" in
  http://127.*|http://localhost[:/]*|http://\[::1\]*) ;;
  *) die "refusing a non-loopback URL: $url" ;;
esac
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk, or run bench/run.sh)"
command -v taskset >/dev/null || die "taskset is missing (util-linux)"
command -v curl >/dev/null || die "curl is missing"

# What Chromium sends.
encoding='gzip, deflate, br, zstd'

# One request first: it must be a 200 (a redirect or an error would be measured instead of
# the page), and its encoding and size are reported beside the figures.
IFS='|' read -r status served bytes < <(curl -s -o /dev/null -H "Accept-Encoding: $encoding" \
  -w '%{http_code}|%header{content-encoding}|%{size_download}\n' "$url" || true)
[ "$status" = 200 ] || die "$url answered ${status:-nothing} (expected 200): not measured"

# Bounded runs: a warm-up whose figures are dropped, then the measure.
taskset -c "$core" wrk -t1 -c"$connections" -d"$warmup" --timeout 10s \
  -H "Accept-Encoding: $encoding" "$url" >/dev/null
out=$(taskset -c "$core" wrk -t1 -c"$connections" -d"$duration" --timeout 10s --latency \
  ${BENCH_WRK_SCRIPT:+-s "$BENCH_WRK_SCRIPT"} -H "Accept-Encoding: $encoding" "$url")

printf '%s\n' "$out" | awk -v label="$label" -v url="$url" -v status="$status" \
  -v served="${served:-identity}" -v bytes="$bytes" -v duration="$duration" \
  -v connections="$connections" '
  # wrk prints durations as 812.00us, 1.53ms, 2.01s or 1.00m.
  function ms(v) {
    if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
    if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
    if (v ~ /s$/)  { sub(/s$/, "", v);  return v * 1000 }
    if (v ~ /m$/)  { sub(/m$/, "", v);  return v * 60000 }
    return -1
  }
  function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
  /^ +50% / { p50 = ms($2) }
  /^ +99% / { p99 = ms($2) }
  / requests in / { requests = $1 }
  /^Requests\/sec:/ { rps = $2 }
  /Non-2xx or 3xx responses:/ { non2xx = $NF }
  /Socket errors:/ { line = $0; gsub(/[^0-9 ]/, "", line); split(line, n, " +");
                     errors = 0; for (i in n) errors += n[i] }
  END {
    if (rps == "") { print "wrk printed no Requests/sec line" > "/dev/stderr"; exit 1 }
    printf "{\"label\":\"%s\",\"url\":\"%s\",\"status\":%d,\"encoding\":\"%s\",\"bytes\":%d,", \
      esc(label), esc(url), status, esc(served), bytes
    printf "\"rps\":%s,\"p50Ms\":%s,\"p99Ms\":%s,\"requests\":%d,\"non2xx\":%d,\"socketErrors\":%d,", \
      rps, (p50 == "" ? "null" : p50), (p99 == "" ? "null" : p99), requests, non2xx + 0, errors + 0
    printf "\"duration\":\"%s\",\"connections\":%d}\n", duration, connections
  }'
