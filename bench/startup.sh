#!/usr/bin/env bash
# Start-up time to the first answered /healthz and idle RSS of civhost with every plugin the
# demo counties enable, on a fresh SQLite database. Median, min and max of N runs (default 7).
#   bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
[[ -x build/bin/civhost ]] || { echo "build first (scripts/run or scripts/test)"; exit 1; }
work=$(mktemp -d /tmp/civ-bench-startup-XXXXXX)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
times=() rss=()
for _ in $(seq "$runs"); do
  rm -f "$work"/civ.db*
  start=$(date +%s%N)
  build/bin/civhost serve --config config --database "$work/civ.db" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.002; done
  times+=($(( ($(date +%s%N) - start) / 1000000 )))
  sleep 1
  rss+=($(awk '/VmRSS/ {print $2}' /proc/$pid/status))
  kill $pid; wait $pid || true
done
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %s, min %s, max %s", a[int((NR+1)/2)], a[1], a[NR]}'; }
echo "civhost start to first /healthz (ms, $runs runs, fresh SQLite): $(stats "${times[@]}")"
echo "idle RSS after 1 s (kB): $(stats "${rss[@]}")"
echo "plugins started: $(build/bin/civhost plugins --config config | awk '$3 == "loaded"' | wc -l)"
