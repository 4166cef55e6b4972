#!/usr/bin/env bash
# Where the CPU of one run goes, the pipeline's own cost that bench/saturation.sh's ratios hide
# behind the machine's load: CPU ms per Python hello run of the api (with its embedded Artemis),
# Azurite, the worker's JVM and its sandboxed children (reaped, so counted in the worker's
# cutime/cstime), read from /proc/<pid>/stat around N judge submissions and N Piston executes,
# after the same warm-up as bench/saturation.sh (bench/system.sh). CPU time, unlike throughput,
# barely moves with what else runs on the machine.
# Usage: bench/cpu-per-run.sh [runs=300]   (SKIP_BUILD=1 to reuse the jars in */target)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-300}"
. bench/system.sh
echo "uptime before: $(uptime)"
start_system
api=$(cat "$data/run/api.pid") worker=$(cat "$data/run/worker-1.pid") azurite=$(cat .tools/azurite-run/pid)

# utime+stime, and cutime+cstime (reaped children), of a pid in ms
cpu() { awk -v t="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) * 1000 / t, ($14 + $15) * 1000 / t }' "/proc/$1/stat"; }
measure() { # label, pipeline.py arguments...
  local label=$1; shift
  local a0 z0 w0 c0 a1 z1 w1 c1
  read -r a0 _ < <(cpu "$api"); read -r z0 _ < <(cpu "$azurite"); read -r w0 c0 < <(cpu "$worker")
  python3 bench/pipeline.py http://127.0.0.1:2100 "$@" >/dev/null
  read -r a1 _ < <(cpu "$api"); read -r z1 _ < <(cpu "$azurite"); read -r w1 c1 < <(cpu "$worker")
  python3 -c "n = $n; print(f'{\"$label\":<28} api {($a1 - $a0) / n:5.1f}  azurite {($z1 - $z0) / n:5.1f}  worker {($w1 - $w0) / n:5.1f}  sandboxed {($c1 - $c0) / n:5.1f}  (CPU ms per run)')"
}
measure "$n judge submissions" judge-saturation "$n"
measure "$n Piston executes" execute-saturation "$n" $((2 * cores))
stop_system
echo "uptime after:  $(uptime)"
