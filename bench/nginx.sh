#!/usr/bin/env bash
# The reference server: nginx (Debian's), run by us as a non-daemon on a loopback port, one
# worker pinned to core 0, serving precompressed static files (brotli_static when Debian's
# module is installed, gzip_static always). Its own config, pid, logs and temp dirs live in
# bench/out/nginx; the system nginx service is never used.
#   bench/nginx.sh start ROOT PORT    (ROOT holds the files and their .br/.gz siblings)
#   bench/nginx.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "bench/nginx.sh: $*" >&2; exit 1; }

prefix="$PWD/bench/out/nginx"
pidfile="$prefix/nginx.pid"
brotli_module=/usr/share/nginx/modules/ngx_http_brotli_static_module.so

case "${1:-}" in
  start)
    root=$(realpath "${2:?usage: bench/nginx.sh start ROOT PORT}")
    port=${3:?usage: bench/nginx.sh start ROOT PORT}
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    [ -x "$nginx" ] || die "nginx is missing (apt-get install nginx, or run bench/run.sh)"
    [ -d "$root" ] || die "no such directory: $root"
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then die "port $port is already taken"; fi
    mkdir -p "$prefix/logs" "$prefix/temp"
    {
      if [ -f "$brotli_module" ]; then echo "load_module $brotli_module;"; fi
      # As root the worker would drop to « nobody », who may not read the work tree.
      if [ "$(id -u)" -eq 0 ]; then echo "user root root;"; fi
      cat <<EOF
worker_processes 1;
pid $pidfile;
error_log $prefix/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $prefix/temp/body;
  proxy_temp_path $prefix/temp/proxy;
  fastcgi_temp_path $prefix/temp/fastcgi;
  uwsgi_temp_path $prefix/temp/uwsgi;
  scgi_temp_path $prefix/temp/scgi;
  types { text/html html; application/json json; text/css css; text/javascript js; application/wasm wasm; }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 65;
  # Like our server, which never closes a kept-alive connection by count.
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    root $root;
    gzip_static on;
EOF
      if [ -f "$brotli_module" ]; then echo "    brotli_static on;"; fi
      echo "  }"
      echo "}"
    } >"$prefix/nginx.conf"
    "$nginx" -t -q -p "$prefix" -c "$prefix/nginx.conf" -g 'daemon off;' 2>"$prefix/logs/test.log" \
      || { cat "$prefix/logs/test.log" >&2; die "nginx rejected $prefix/nginx.conf"; }
    taskset -c 0 "$nginx" -p "$prefix" -c "$prefix/nginx.conf" -g 'daemon off;' \
      </dev/null >>"$prefix/logs/stdout.log" 2>&1 &
    for _ in $(seq 1 50); do
      curl -s -o /dev/null "http://127.0.0.1:$port/" && [ -s "$pidfile" ] && exit 0
      sleep 0.1
    done
    die "nginx did not answer on 127.0.0.1:$port (see $prefix/logs/error.log)"
    ;;
  stop)
    [ -s "$pidfile" ] || exit 0
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
    die "nginx ($pid) did not stop"
    ;;
  *) die "usage: bench/nginx.sh start ROOT PORT | stop" ;;
esac
