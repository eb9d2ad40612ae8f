#!/usr/bin/env bash
# Ingestion benchmark: the fake platform server on loopback serves N X mentions (default
# 1,000,000); the real daemon polls, classifies and stores them. Prints posts/s end to end
# and the daemon's peak RSS (VmHWM). Usage: tools/bench_ingest.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
tools/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target sambatd fake_platform

dir=$(mktemp -d /tmp/sambat-bench-XXXXXX)
trap 'kill $fake_pid $daemon_pid 2>/dev/null || true; rm -rf "$dir"' EXIT
fake_port=18181
build/tools/fake_platform/fake_platform --synthetic "$n" "$fake_port" >"$dir/fake.log" 2>&1 &
fake_pid=$!
until grep -q . "$dir/fake.log" 2>/dev/null; do sleep 0.2; done
echo "t" >"$dir/t.token"; chmod 600 "$dir/t.token"
cat >"$dir/sambatd.yaml" <<YAML
database: sambatd.db
rules: ${SAMBAT_RULES:-$PWD/rules}
http: {listen: "127.0.0.1:0"}
log: {level: warn}
sources:
  x: {enabled: true, base_url: "http://127.0.0.1:$fake_port", user_id: "1234567890", bearer_token_file: t.token, poll_interval: 1s}
YAML
start=$(date +%s.%N)
build/daemon/sambatd --config "$dir/sambatd.yaml" run 2>"$dir/daemon.log" &
daemon_pid=$!
count=0
# max(id), not count(*): one index probe instead of a scan that would compete with the daemon
# (a fresh database numbers posts 1, 2, 3, ... with no gaps).
while (( count < n )); do
  sleep 0.2
  count=$(sqlite3 -readonly "$dir/sambatd.db" 'SELECT coalesce(max(id), 0) FROM posts' 2>/dev/null || echo 0)
done
end=$(date +%s.%N)
ps -o pid,etimes,times,comm -p $daemon_pid,$fake_pid >&2
hwm=$(awk '/VmHWM/ {print $2}' /proc/$daemon_pid/status)
drafts=$(sqlite3 -readonly "$dir/sambatd.db" 'SELECT count(*) FROM drafts')
kill -TERM $daemon_pid; wait $daemon_pid || true
awk -v n="$n" -v s="$start" -v e="$end" -v h="$hwm" -v d="$drafts" 'BEGIN {
  printf "ingested %d posts (%d drafts) in %.1f s: %.0f posts/s end to end; daemon peak RSS %.1f MiB\n", n, d, e - s, n / (e - s), h / 1024 }'
