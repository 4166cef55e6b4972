#!/usr/bin/env bash
# Where the api's and the worker's CPU per run goes: each thread's CPU (from /proc/<pid>/task) and,
# unless NOJFR=1, a JFR recording with JDK 25's CPU-time sampler per phase, around N Piston
# executes (4 clients) and then N judged submissions, on the system of bench/system.sh (same
# warm-up). Writes $OUT (default /tmp/ce-profile) with summary.txt (CPU ms per run by thread) and
# <api|worker>-<execute|judge>.jfr; `bench/jfr-shares.py FILE.jfr` gives each part's share of the
# samples. A JFR recording with these settings re-instruments the JDK's I/O classes, so the JIT
# compiles again: take the per-thread numbers from a NOJFR=1 run.
# Usage: bench/profile.sh [runs=300]   (SKIP_BUILD=1 to reuse the jars in */target)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-300}"
out="${OUT:-/tmp/ce-profile}"
. bench/system.sh
mkdir -p "$out"
echo "uptime before: $(uptime)" > "$out/summary.txt"
start_system
api=$(cat "$data/run/api.pid") worker=$(cat "$data/run/worker-1.pid")
for mode in execute judge; do
  for p in api worker; do
    pid=${!p}
    python3 bench/thread-cpu.py snap "$pid" "$out/$p-$mode-0.json"
    [ -n "${NOJFR:-}" ] || jcmd "$pid" JFR.start name="$mode" filename="$out/$p-$mode.jfr" settings=profile \
      jdk.CPUTimeSample#enabled=true jdk.CPUTimeSample#throttle=2ms >/dev/null
  done
  if [ "$mode" = execute ]; then
    python3 bench/pipeline.py http://127.0.0.1:2100 execute-saturation "$n" $((2 * cores)) >> "$out/summary.txt"
  else
    python3 bench/pipeline.py http://127.0.0.1:2100 judge-saturation "$n" >> "$out/summary.txt"
  fi
  for p in api worker; do
    pid=${!p}
    [ -n "${NOJFR:-}" ] || jcmd "$pid" JFR.stop name="$mode" >/dev/null
    python3 bench/thread-cpu.py snap "$pid" "$out/$p-$mode-1.json"
    echo "$p $mode" >> "$out/summary.txt"
    python3 bench/thread-cpu.py diff "$out/$p-$mode-0.json" "$out/$p-$mode-1.json" "$n" >> "$out/summary.txt"
  done
done
stop_system
echo "uptime after:  $(uptime)" >> "$out/summary.txt"
cat "$out/summary.txt"
