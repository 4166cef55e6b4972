#!/usr/bin/env bash
# Where the CPU of one run goes, the pipeline's own cost that bench/saturation.sh's ratios hide
# behind the machine's load: CPU ms per Python hello run of the api (with its embedded Artemis),
# the store (PostgreSQL's processes; Azurite with STORE=azure, bench/system.sh), the worker's JVM and the sandbox: the runs' processes (the worker's engine group in
# the cpuacct hierarchy, which keeps counting what its removed run groups used), the long-lived
# sandbox helpers (the slots' relay servers and boxes, the warm compilers: the worker's live
# descendants) and what the worker reaped itself; read around N judge submissions and N Piston
# executes, after the same warm-up as bench/saturation.sh (bench/system.sh: until the JITs
# settle); the JIT compiler threads' share of the api's and the worker's figures is printed
# beside them. CPU time, unlike throughput, barely moves with what else runs on the machine.
# Usage: bench/cpu-per-run.sh [runs=300]   (SKIP_BUILD=1 to reuse the jars in */target)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-300}"
. bench/system.sh
echo "uptime before: $(uptime)"
start_system
api=$(cat "$data/run/api.pid") worker=$(cat "$data/run/worker-1.pid") store_pid=$(store_pid)

group=$(tr '\0' '\n' < "/proc/$worker/cmdline" | sed -n 's/^--coding-engine.worker.cgroup-name=//p')
runs="/sys/fs/cgroup/cpuacct$(awk -F: '$2 ~ /(^|,)cpuacct(,|$)/ { print $3 }' "/proc/$worker/cgroup")/$group/cpuacct.usage"
[ -f "$runs" ] || { echo "no cpuacct group of the worker's runs at $runs" >&2; exit 1; }

# utime+stime, and cutime+cstime (reaped children), of a pid in ms
cpu() { awk -v t="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) * 1000 / t, ($14 + $15) * 1000 / t }' "/proc/$1/stat"; }
# ms of the store so far: Azurite's node, or PostgreSQL's postmaster with its live and reaped backends
store_cpu() {
  if [ "$store" = azure ]; then
    cpu "$store_pid" | awk '{ print $1 }'
  else
    local total=0 own reaped child
    read -r own reaped < <(cpu "$store_pid")
    total=$(python3 -c "print($own + $reaped)")
    for child in $(cat "/proc/$store_pid/task/$store_pid/children"); do
      read -r own _ < <(cpu "$child" 2>/dev/null || echo "0 0")
      total=$(python3 -c "print($total + $own)")
    done
    echo "$total"
  fi
}
# ms of the sandbox so far: the runs' cgroup, plus the own utime+stime of the worker's live descendants
sandbox_cpu() {
  python3 - "$worker" "$runs" "$(getconf CLK_TCK)" <<'EOF'
import os, sys
worker, runs, tick = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
parent = {}
for pid in filter(str.isdigit, os.listdir('/proc')):
    try:
        f = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
        parent[int(pid)] = (int(f[1]), int(f[11]) + int(f[12]))
    except (OSError, IndexError):
        pass
def descends(pid):
    while pid in parent and pid > 1:
        pid = parent[pid][0]
        if pid == worker:
            return True
    return False
helpers = sum(t for pid, (_, t) in parent.items() if descends(pid)) * 1000 / tick
print(int(open(runs).read()) / 1e6 + helpers)
EOF
}
measure() { # label, pipeline.py arguments...
  local label=$1; shift
  local a0 z0 w0 c0 s0 j0 k0 a1 z1 w1 c1 s1 j1 k1
  read -r a0 _ < <(cpu "$api"); z0=$(store_cpu); read -r w0 c0 < <(cpu "$worker"); s0=$(sandbox_cpu)
  j0=$(jit_cpu "$api"); k0=$(jit_cpu "$worker")
  python3 bench/pipeline.py http://127.0.0.1:2100 "$@" >/dev/null
  read -r a1 _ < <(cpu "$api"); z1=$(store_cpu); read -r w1 c1 < <(cpu "$worker"); s1=$(sandbox_cpu)
  j1=$(jit_cpu "$api"); k1=$(jit_cpu "$worker")
  python3 -c "n = $n; print(f'{\"$label\":<28} api {($a1 - $a0) / n:5.1f}  $store {($z1 - $z0) / n:5.1f}  worker {($w1 - $w0) / n:5.1f}  sandboxed {($s1 - $s0 + $c1 - $c0) / n:5.1f}  (CPU ms per run; of which compiling: api {($j1 - $j0) / n:.1f}, worker {($k1 - $k0) / n:.1f})')"
}
measure "$n judge submissions" judge-saturation "$n"
measure "$n Piston executes" execute-saturation "$n" $((2 * cores))
stop_system
echo "uptime after:  $(uptime)"
