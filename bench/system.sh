# Sourced by bench/saturation.sh and bench/cpu-per-run.sh, from the repository root: builds the
# jars (unless SKIP_BUILD=1) and starts and stops the one-worker system (run-local.sh, Azurite,
# the api with its embedded Artemis) that they measure.
cores=$(nproc)
source scripts/jdk.sh
[ "${SKIP_BUILD:-}" = 1 ] || ./mvnw -B -q -ntp -DskipTests package
data=$(mktemp -d /tmp/ce-bench-XXXX)
trap 'DATA=$data scripts/run-local.sh stop >/dev/null 2>&1 || true' EXIT

# Starts the system on port 2100, puts the admin key in CE_KEY and warms it up: the JITs of the
# api and the worker, the sandbox's boxes, the storage connections. Throughput, not the limits,
# is measured: the admin key's Piston execution limit (60 a minute by default, docs/operations.md, "Limits")
# is lifted, which 600 executes would otherwise hit within a second.
start_system() {
  CODINGENGINE_LIMITS_EXECUTIONSPERMINUTE=1000000 \
  DATA=$data WORKERS=1 SKIP_BUILD=1 PORT=2100 BROKER_PORT=61700 scripts/run-local.sh >/dev/null
  CE_KEY=$(cat "$data/admin.key")
  export CE_KEY
  python3 bench/pipeline.py http://127.0.0.1:2100 execute 20 >/dev/null
  python3 bench/pipeline.py http://127.0.0.1:2100 judge-saturation 60 >/dev/null
}

stop_system() {
  DATA=$data scripts/run-local.sh stop >/dev/null 2>&1
}
