#!/usr/bin/env bash
# Start-up time to the first answered /healthz and idle RSS of civhost with every plugin the
# demo counties enable, on a fresh SQLite database (the first start: every module's migrations
# run), then restarted on that database (a county's every other start). Median, min and max of
# N runs each (default 7).
#   bench/startup.sh [runs]
# One Python process starts civhost and polls /healthz over a socket every millisecond: the
# probe itself must not compete for the two cores. (Until session 16 a curl was started every
# 2 ms; each curl is about 14 ms of CPU here, which slowed the start it was timing by ~10 %.)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
[[ -x build/bin/civhost ]] || { echo "build first (scripts/run or scripts/test)"; exit 1; }
source scripts/lib/civhost-environment.sh  # as civhost.service starts it
# A fresh start syncs its new database: flush what the machine still has to write first, or
# it waits behind that (after a benchmark run, gigabytes: 127 ms in the median, 99 ms synced).
sync
work=$(mktemp -d /tmp/civ-bench-startup-XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 - "$runs" "$work" <<'PY'
import glob, os, signal, socket, subprocess, sys, time

runs, work = int(sys.argv[1]), sys.argv[2]
probe = socket.socket(); probe.bind(("127.0.0.1", 0)); port = probe.getsockname()[1]; probe.close()
request = b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"

def answered():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            connection.sendall(request)
            return connection.recv(16).startswith(b"HTTP/1.1 200")
    except OSError:
        return False

def stats(values):
    values = sorted(values)
    return f"median {values[(len(values) - 1) // 2]}, min {values[0]}, max {values[-1]}"

def start_and_stop(rss=None):
    start = time.monotonic()
    civhost = subprocess.Popen(
        ["build/bin/civhost", "serve", "--config", "config", "--database", f"{work}/civ.db",
         "--listen", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not answered():
            if civhost.poll() is not None:
                sys.exit(f"civhost exited with {civhost.returncode} before answering /healthz")
            if time.monotonic() - start > 60:
                sys.exit("civhost did not answer /healthz with 200 within 60 s")
            time.sleep(0.001)
        elapsed = round((time.monotonic() - start) * 1000)
        if rss is not None:
            time.sleep(1)
            with open(f"/proc/{civhost.pid}/status") as status:
                rss.append(next(int(line.split()[1]) for line in status if line.startswith("VmRSS")))
        civhost.send_signal(signal.SIGTERM)
        civhost.wait(timeout=30)
        return elapsed
    finally:
        if civhost.poll() is None:
            civhost.kill()
            civhost.wait()

fresh, restarted, rss = [], [], []
for _ in range(runs):
    for file in glob.glob(f"{work}/civ.db*"):
        os.remove(file)
    fresh.append(start_and_stop(rss))
    restarted.append(start_and_stop())
print(f"civhost start to first /healthz (ms, {runs} runs, fresh SQLite): {stats(fresh)}")
print(f"restarted on that database (ms): {stats(restarted)}")
print(f"idle RSS after 1 s (kB): {stats(rss)}")
PY
echo "plugins started: $(build/bin/civhost plugins --config config | awk '$3 == "loaded"' | wc -l)"
