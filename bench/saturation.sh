#!/usr/bin/env bash
# The throughput targets (docs/performance.md: Piston executes at least 0.5 of bare, judged
# submissions 0.35), in one run: Python hello world at saturation, bare processes (as many
# parallel runners as cores) against the whole pipeline on the same cores: judge submissions
# (api -> queue -> worker -> sandbox -> store) and Piston executes (interactive lane). Prints
# runs/s and the ratios to bare. Bare is measured right before and right after each of the two,
# once the system is warm (bench/system.sh), with the api and the worker paused (SIGSTOP: idle,
# their queue polls take about 3 % of the two cores, docs/reports/2026-12-07-night.md); the mean
# of the two sides is each phase's baseline, so the machine's drift falls on both sides.
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
start_system
api=$(cat "$data/run/api.pid") worker=$(cat "$data/run/worker-1.pid")
paused_bare() { # bare with the system paused; seconds, well inside the worker's connection TTL
  kill -STOP "$api" "$worker"
  bare
  kill -CONT "$api" "$worker"
}
bare1=$(paused_bare)
read -r judge judge_s judge_bad < <(python3 bench/pipeline.py http://127.0.0.1:2100 judge-saturation "$n")
bare2=$(paused_bare)
read -r exec exec_s exec_bad < <(python3 bench/pipeline.py http://127.0.0.1:2100 execute-saturation "$n" $((2 * cores)))
bare3=$(paused_bare)
stop_system
echo "uptime after:  $(uptime)"
mean() { python3 -c "print(round(($1 + $2) / 2, 1))"; }
judge_base=$(mean "$bare1" "$bare2") exec_base=$(mean "$bare2" "$bare3")
printf '%-58s %s, %s, %s runs/s\n' "bare python3 hello, $cores at a time" "$bare1" "$bare2" "$bare3"
printf '%-58s %s runs/s (%s s, %s not AC), ratio %s to %s\n' "$n judge submissions, 1 worker ($cores slots)" \
  "$judge" "$judge_s" "$judge_bad" "$(ratio "$judge" "$judge_base")" "$judge_base"
printf '%-58s %s runs/s (%s s, %s wrong), ratio %s to %s\n' "$n Piston executes, $((2 * cores)) clients" \
  "$exec" "$exec_s" "$exec_bad" "$(ratio "$exec" "$exec_base")" "$exec_base"
