# Sourced by bench/saturation.sh and bench/cpu-per-run.sh, from the repository root: builds the
# jars (unless SKIP_BUILD=1) and starts and stops the one-worker system that they measure: what
# scripts/run-local.sh runs (its own PostgreSQL cluster as the store, the api with its embedded
# Artemis, one worker). STORE=azure runs it on Azurite instead (scripts/azurite.sh, in memory,
# on ports 10100 and 10102), the store the measurements before 2026-12-07 used.
# JFR=1 records a flight recording of the api and the worker (JFR's default profile, which
# samples each thread every 20 ms) into $data/api.jfr and $data/worker.jfr, from the end of the
# warm-up to stop_system.
cores=$(nproc)
source scripts/jdk.sh
[ "${SKIP_BUILD:-}" = 1 ] || ./mvnw -B -q -ntp -DskipTests package
data=$(mktemp -d /tmp/ce-bench-XXXX)
chmod 755 "$data" # PostgreSQL runs as the system user ce-postgres (scripts/run-local.sh)
trap 'DATA=$data scripts/run-local.sh stop >/dev/null 2>&1 || true' EXIT

# Starts the system on port 2100, puts the admin key in CE_KEY and warms it up: the JITs of the
# api and the worker, the sandbox's boxes, the storage connections. Throughput, not the limits,
# is measured: the admin key's Piston execution limit (60 a minute by default, docs/operations.md, "Limits")
# is lifted, which 600 executes would otherwise hit within a second.
store=${STORE:-postgres}
store_env=()
if [ "$store" = azure ]; then
  trap 'DATA=$data scripts/run-local.sh stop >/dev/null 2>&1 || true; AZURITE_BLOB_PORT=10100 AZURITE_TABLE_PORT=10102 scripts/azurite.sh stop >/dev/null 2>&1 || true' EXIT
elif [ "$store" != postgres ]; then
  echo "STORE is postgres (the default) or azure, not $store" >&2; exit 2
fi

# pids of the store's processes, for their CPU: Azurite's node, or the PostgreSQL cluster's
# postmaster (its exited backends are in its reaped children's time, the live ones are its children)
store_pid() {
  if [ "$store" = azure ]; then cat .tools/azurite-run/pid; else head -1 "$data/postgres/postmaster.pid"; fi
}

# CPU ms so far of a JVM's JIT compiler threads (their names start with C1 or C2 CompilerThre).
# HotSpot may stop a compiler thread it started when the compile queue is short, and a stopped
# thread's CPU leaves /proc/PID/task: with 2 cores each JIT has one thread, which it never stops.
jit_cpu() {
  python3 bench/thread-cpu.py jit "$1"
}

# Warm-up rounds until the JITs of the api and the worker settle (start_system); prints each
# round's compiling per run to stderr.
settle_jits() {
  local limit=${JIT_SETTLE:-0.3} round quiet=0 api worker a0 w0 a1 w1
  python3 -c "import sys; sys.exit(0 if $limit > 0 else 1)" || return 0
  api=$(cat "$data/run/api.pid") worker=$(cat "$data/run/worker-1.pid")
  for round in $(seq 1 "${JIT_ROUNDS:-30}"); do
    a0=$(jit_cpu "$api") w0=$(jit_cpu "$worker")
    python3 bench/pipeline.py http://127.0.0.1:2100 execute-saturation 500 $((2 * cores)) >/dev/null
    python3 bench/pipeline.py http://127.0.0.1:2100 judge-saturation 100 >/dev/null
    a1=$(jit_cpu "$api") w1=$(jit_cpu "$worker")
    if python3 - "$round" "$a0" "$a1" "$w0" "$w1" "$limit" >&2 <<'EOF'; then quiet=$((quiet + 1)); else quiet=0; fi
import sys
r, a0, a1, w0, w1, limit = sys.argv[1], *map(float, sys.argv[2:])
api, worker = (a1 - a0) / 600, (w1 - w0) / 600
print(f'warm-up round {r}: compiling {api:.2f} ms per run in the api, {worker:.2f} in the worker')
sys.exit(0 if api < limit and worker < limit else 1)
EOF
    [ "$quiet" -lt 2 ] || return 0
  done
  echo "the JITs did not settle under $limit ms per run in ${JIT_ROUNDS:-30} rounds" >&2
}

start_system() {
  if [ "$store" = azure ]; then
    # the emulator's own connection string (its published development account key)
    local storage
    storage=$(AZURITE_BLOB_PORT=10100 AZURITE_TABLE_PORT=10102 scripts/azurite.sh start)
    store_env=(CODINGENGINE_STORE=azure "CODINGENGINE_STORAGE=$storage" "CODINGENGINE_WORKER_STORAGE=$storage")
  fi
  env "${store_env[@]}" CODINGENGINE_LIMITS_EXECUTIONSPERMINUTE=1000000 \
  DATA=$data WORKERS=1 SKIP_BUILD=1 PORT=2100 BROKER_PORT=61700 PG_PORT=16432 UID_BASE=71000 \
    INSTANCE=bench scripts/run-local.sh >/dev/null
  CE_KEY=$(cat "$data/admin.key")
  export CE_KEY
  python3 bench/pipeline.py http://127.0.0.1:2100 execute 20 >/dev/null
  python3 bench/pipeline.py http://127.0.0.1:2100 judge-saturation 60 >/dev/null
  # The JITs compile for minutes after a start: with only the runs above, a third of the CPU
  # counted per run was compiling (docs/reports/2026-12-07-pipeline-cost.md), and after 1000 of
  # each still half of the api's (docs/reports/2026-12-07-night.md). WARMUP more of each
  # (default 1000; 0 for the old, short warm-up), then rounds of 500 executes and 100 judged
  # submissions until two rounds in a row compiled under JIT_SETTLE ms per run in the api and in
  # the worker (default 0.3; 0 skips the rounds; C2 compiles in bursts, so one quiet round says
  # little), at most JIT_ROUNDS (30) rounds: the steady state of a long-running system is what is
  # measured.
  if [ "${WARMUP:-1000}" -gt 0 ]; then
    python3 bench/pipeline.py http://127.0.0.1:2100 execute-saturation "${WARMUP:-1000}" $((2 * cores)) >/dev/null
    python3 bench/pipeline.py http://127.0.0.1:2100 judge-saturation "${WARMUP:-1000}" >/dev/null
  fi
  settle_jits
  if [ "${JFR:-}" = 1 ]; then
    for p in api worker-1; do
      jcmd "$(cat "$data/run/$p.pid")" JFR.start name=bench filename="$data/${p%-1}.jfr" >/dev/null
    done
  fi
}

stop_system() {
  if [ "${JFR:-}" = 1 ]; then
    for p in api worker-1; do
      jcmd "$(cat "$data/run/$p.pid")" JFR.stop name=bench >/dev/null || true
    done
  fi
  DATA=$data scripts/run-local.sh stop >/dev/null 2>&1
  [ "$store" != azure ] || AZURITE_BLOB_PORT=10100 AZURITE_TABLE_PORT=10102 scripts/azurite.sh stop >/dev/null 2>&1
}
