#!/usr/bin/env bash
# A contestant's Run during a contest burst (docs/performance.md): one worker (a judging slot per
# core) judges a backlog of slow submissions (5 tests sleeping 2.5 s each) and TLE submissions
# (3 tests spinning to the 3 s CPU limit) while CONTESTANTS clients each send Runs (Piston executes
# of print(1), the interactive lane, as the contest UI's Run) one after another, PAUSE seconds
# apart. Everything twice, in one run:
# with the worker's kept interactive slot (interactive-slots=1, the default) and with the
# reservation off (interactive-slots=0). Prints the unloaded Run latency (p50, p95: 40 Runs one
# after another on the idle system, before and after the first burst, the mean of the two), Run
# p50/p95/max during the backlog and its p95 over the unloaded p95, and judged submissions per
# second over the same backlog in both configurations, with the Runs and without any (the Runs'
# own CPU, which the reservation lets them have, is taken from judging on a loaded machine).
#
# Usage: bench/contest-burst.sh [slow=6] [tle=4] [contestants=5] [pause=0.5]
#   SKIP_BUILD=1 reuses the jars. PORT, BROKER_PORT, PG_PORT, UID_BASE default to values off the
#   defaults of run-local.sh and of the tests (uids 61000-68999), so that it can run beside both.
set -euo pipefail
cd "$(dirname "$0")/.."
slow="${1:-6}"
tle="${2:-4}"
contestants="${3:-5}"
pause="${4:-0.5}"
port="${PORT:-$((20000 + RANDOM % 10000))}"
broker_port="${BROKER_PORT:-$((port + 10000))}"
pg_port="${PG_PORT:-$((port + 1))}"
uid_base="${UID_BASE:-$((70000 + RANDOM % 50 * 200))}"
cores=$(nproc)
source scripts/jdk.sh
[ "${SKIP_BUILD:-}" = 1 ] || ./mvnw -B -q -ntp -DskipTests package
data=$(mktemp -d /tmp/ce-burst-XXXX)
chmod 755 "$data"
# Stopped and removed on exit: the system, its data (the PostgreSQL cluster) and the worker's data dir.
trap 'DATA=$data scripts/run-local.sh stop >/dev/null 2>&1 || true; rm -rf "$data" "/var/lib/coding-engine/burst-$port-1"' EXIT
url="http://127.0.0.1:$port"

# Starts the system with $1 kept interactive slots per worker; the admin key's Piston execution
# limit and the requests one address may have in progress are lifted (the Runs are what is
# measured, not the limits); warms the JITs and boxes up.
start() {
  CODINGENGINE_WORKER_INTERACTIVESLOTS="$1" CODINGENGINE_LIMITS_EXECUTIONSPERMINUTE=1000000 \
  CODINGENGINE_LIMITS_REQUESTSPERADDRESS=1000 \
  DATA=$data WORKERS=1 SKIP_BUILD=1 PORT=$port BROKER_PORT=$broker_port PG_PORT=$pg_port \
  UID_BASE=$uid_base INSTANCE="burst-$port" scripts/run-local.sh >/dev/null
  CE_KEY=$(cat "$data/admin.key")
  export CE_KEY
  python3 bench/pipeline.py "$url" execute 20 >/dev/null
  python3 bench/pipeline.py "$url" judge-saturation 20 >/dev/null
}
stop() { DATA=$data scripts/run-local.sh stop >/dev/null 2>&1; }
over() { python3 -c "print(round($1 - $2))"; }

burst() { python3 bench/contest-burst.py "$url" burst "$slow" "$tle" "${1:-$contestants}" "$pause"; }
report() { # $1 the interactive slots, $2 what burst printed with Runs, $3 without
  read -r p50 p95 max n rate secs bad <<<"$2"
  read -r _ _ _ _ alone alone_secs alone_bad <<<"$3"
  printf '%-44s p50 %5s ms  p95 %5s ms  max %6s ms  (%s Runs)  p95 over unloaded %s ms\n' \
    "Run during the backlog, interactive-slots=$1" "$p50" "$p95" "$max" "$n" "$(over "$p95" "$u95")"
  printf '%-44s %s submissions/s (%s s, %s unexpected); without Runs %s/s (%s s, %s unexpected)\n' \
    "judged, interactive-slots=$1" "$rate" "$secs" "$bad" "$alone" "$alone_secs" "$alone_bad"
}

echo "uptime before: $(uptime)"
echo "backlog: $slow slow + $tle TLE submissions on 1 worker ($cores judging slots); $contestants clients sending Runs, $pause s apart"
start 1
read -r a50 a95 < <(python3 bench/contest-burst.py "$url" unloaded 40)
r1=$(burst)
a1=$(burst 0)
read -r b50 b95 < <(python3 bench/contest-burst.py "$url" unloaded 40)
stop
u50=$(python3 -c "print(round(($a50 + $b50) / 2))")
u95=$(python3 -c "print(round(($a95 + $b95) / 2))")
printf '%-44s p50 %5s ms  p95 %5s ms  (before the burst p50 %s p95 %s, after it p50 %s p95 %s)\n' \
  "Run, unloaded (mean of before and after)" "$u50" "$u95" "$a50" "$a95" "$b50" "$b95"
report 1 "$r1" "$a1"
start 0
r0=$(burst)
report 0 "$r0" "$(burst 0)"
stop
echo "uptime after:  $(uptime)"
