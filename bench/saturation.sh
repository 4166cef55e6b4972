#!/usr/bin/env bash
# The throughput target (docs/performance.md: at least 0.8 of bare), in one run: Python hello
# world at saturation, bare processes (as many parallel runners as cores) against the whole
# pipeline on the same cores: judge submissions (api -> queue -> worker -> sandbox -> store) and
# Piston executes (interactive lane). Prints runs/s and the ratios to bare. Bare is measured before the system starts and
# after it stops (the mean is the baseline, so load drift falls on both sides).
# Usage: bench/saturation.sh [runs=600]   (SKIP_BUILD=1 to reuse the jars in */target)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-600}"
. bench/system.sh

bare() { # runs/s of n `python3 -c 'print("hello")'`, $cores at a time: the catalogue's python3
  # (not a PATH shim such as pyenv's) with a clean environment, as in the sandbox
  local t0 t1
  t0=$(date +%s.%N)
  seq "$n" | env -i PATH=/usr/bin:/bin xargs -P "$cores" -I{} /usr/bin/python3 -c 'print("hello")' >/dev/null
  t1=$(date +%s.%N)
  python3 -c "print(round($n / ($t1 - $t0), 1))"
}
ratio() { python3 -c "print(round($1 / $2, 2))"; }

echo "uptime before: $(uptime)"
bare1=$(bare)
start_system
read -r judge judge_s judge_bad < <(python3 bench/pipeline.py http://127.0.0.1:2100 judge-saturation "$n")
read -r exec exec_s exec_bad < <(python3 bench/pipeline.py http://127.0.0.1:2100 execute-saturation "$n" $((2 * cores)))
stop_system
bare2=$(bare)
echo "uptime after:  $(uptime)"
base=$(python3 -c "print(round(($bare1 + $bare2) / 2, 1))")
printf '%-58s %s runs/s (%s before, %s after)\n' "bare python3 hello, $cores at a time" "$base" "$bare1" "$bare2"
printf '%-58s %s runs/s (%s s, %s not AC), ratio %s\n' "$n judge submissions, 1 worker ($cores slots)" \
  "$judge" "$judge_s" "$judge_bad" "$(ratio "$judge" "$base")"
printf '%-58s %s runs/s (%s s, %s wrong), ratio %s\n' "$n Piston executes, $((2 * cores)) clients" \
  "$exec" "$exec_s" "$exec_bad" "$(ratio "$exec" "$base")"
