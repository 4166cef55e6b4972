#!/usr/bin/env bash
# Pipeline benchmark (not part of the tests): Python hello world through the executor directly vs
# a Piston execute through the whole pipeline (api -> queue -> worker -> reply), and throughput of
# N submissions end to end with 1, 2 and 4 workers. Usage: bench/pipeline.sh [submissions=500]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-500}"
source scripts/jdk.sh
./mvnw -B -q -ntp -DskipTests package
direct=$(bench/executor.sh 30 python 2>/dev/null | awk '/python hello/ {print $(NF-2)}')
data=$(mktemp -d /tmp/ce-bench-XXXX)
trap 'DATA=$data scripts/run-local.sh stop >/dev/null 2>&1 || true' EXIT
printf '%-44s %s\n' "python hello, executor directly (median ms)" "$direct"
for workers in 1 2 4; do
  DATA=$data/$workers WORKERS=$workers SKIP_BUILD=1 PORT=2100 BROKER_PORT=61700 scripts/run-local.sh >/dev/null
  export CE_KEY=$(cat "$data/$workers/admin.key")
  if [ "$workers" = 1 ]; then
    pipeline=$(python3 bench/pipeline.py http://127.0.0.1:2100 execute 30)
    printf '%-44s %s (overhead %s ms, ratio %s)\n' "python hello, Piston execute via pipeline" "$pipeline" \
      "$(python3 -c "print(round($pipeline-$direct,1))")" "$(python3 -c "print(round($pipeline/$direct,2))")"
  fi
  read -r rate secs bad < <(python3 bench/pipeline.py http://127.0.0.1:2100 throughput "$n")
  printf '%-44s %s submissions/s (%s s, %s not AC)\n' "$n submissions, $workers worker(s)" "$rate" "$secs" "$bad"
  DATA=$data/$workers scripts/run-local.sh stop >/dev/null 2>&1
done
