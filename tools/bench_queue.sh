#!/usr/bin/env bash
# Queue load test: a database with N pending drafts (default 100,000), the real daemon, and
# wrk with 50 connections on the queue listing (GET /api/v1/drafts?limit=50, bearer token).
# Prints wrk's latency distribution (p50/p99) and requests/s.
# Usage: tools/bench_queue.sh [N] [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
duration=${2:-20s}
tools/install-deps.sh
command -v wrk >/dev/null || { echo "bench_queue: needs wrk (apt-get install wrk)" >&2; exit 1; }
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target sambatd seed_drafts

dir=$(mktemp -d /tmp/sambat-queue-XXXXXX)
trap 'kill $daemon_pid 2>/dev/null || true; rm -rf "$dir"' EXIT
build/bench/seed_drafts "$dir/sambatd.db" "$n"
port=${SAMBAT_BENCH_PORT:-18282}
cat >"$dir/sambatd.yaml" <<YAML
database: sambatd.db
rules: $PWD/rules
http: {listen: "127.0.0.1:$port"}
log: {level: warn}
YAML
token=$(build/daemon/sambatd --config "$dir/sambatd.yaml" token create bench --role viewer | tail -1)
build/daemon/sambatd --config "$dir/sambatd.yaml" run 2>"$dir/daemon.log" &
daemon_pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
url="http://127.0.0.1:$port/api/v1/drafts?limit=50"
curl -sf -H "Authorization: Bearer $token" "$url" | head -c 200; echo
echo "== wrk: 50 connections, $duration, $n drafts in the database"
${SAMBAT_BENCH_WRAP:-} wrk -t2 -c50 -d"$duration" --latency -H "Authorization: Bearer $token" "$url"
echo "daemon peak RSS: $(grep VmHWM /proc/$daemon_pid/status | awk '{print $2, $3}')"
