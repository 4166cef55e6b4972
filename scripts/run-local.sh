#!/usr/bin/env bash
# Runs the whole system on this machine, no cloud account: Azurite (tables and blobs), the api
# (with its embedded Artemis broker) and workers as separate processes. Run as root (the
# sandbox needs namespaces and cgroups).
#
#   scripts/run-local.sh [start]   install what is missing, build, start everything, print the URL
#   scripts/run-local.sh stop      stop what start started
#
# Environment: PORT (api, 2000), WORKERS (2), BROKER_PORT (61616), DATA (./data: logs, Azurite's
# files, the broker journal, the admin key), SKIP_BUILD=1 to reuse the jars in */target,
# PCH_DIR (/usr/local/lib/coding-engine/pch: where the precompiled headers are built before the
# workers start; the workers' coding-engine.worker.pch-dir must match), UID_BASE (60000: worker
# i's sandbox uids start at UID_BASE+100*i) and INSTANCE (worker: names
# the workers' cgroups and data dirs) to run beside another copy on the same host.
# The first start makes a bootstrap admin key in $DATA/admin.key (only its SHA-256 reaches the
# api, as coding-engine.access.admin-key-sha256) and prints it; later starts reuse it. Worker i
# serves its metrics on port PORT+100+i (/actuator/prometheus). A worker that exits (it does
# after an OutOfMemoryError or when a judging slot died, docs/operations.md) is started again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
data="$(realpath -m "${DATA:-$root/data}")"
port="${PORT:-2000}"
workers="${WORKERS:-2}"
broker_port="${BROKER_PORT:-61616}"
uid_base="${UID_BASE:-60000}"
instance="${INSTANCE:-worker}"
run="$data/run"
source scripts/jdk.sh
jvm_flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dio.netty.noUnsafe=false)

stop() {
  # Workers first: once the api (and its broker) is gone they would only retry connecting. Their
  # supervisors before them, so that a stopped worker is not started again.
  for pidfile in $(ls "$run"/supervisor-*.pid "$run"/worker-*.pid 2>/dev/null) "$run/api.pid"; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
      echo "stopped $(basename "$pidfile" .pid) ($pid)"
    fi
    rm -f "$pidfile"
  done
  AZURITE_DATA="$data/azurite" ./scripts/azurite.sh stop || true
}

wait_for() { # what, command...
  local what=$1; shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "$what did not come up; see $data/logs" >&2
  exit 1
}

# Runs worker $1 (the command after it) and starts it again whenever it exits, until stop ends
# this loop first.
supervise_worker() {
  local i=$1 status
  shift
  while :; do
    "$@" &
    echo $! >"$run/worker-$i.pid"
    status=0
    wait $! || status=$?
    echo "run-local: worker $i exited with status $status; starting it again in 5 s"
    sleep 5
  done
}

case "${1:-start}" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac

mkdir -p "$data/logs" "$run"
./scripts/install-deps.sh
./scripts/azurite.sh install
if [ "${SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -ntp -DskipTests package
fi
# The precompiled headers (about 1 GB, a minute on two cores the first time; only a check when
# they are valid), so that the workers' start-up finds them built.
java -Dloader.main=io.codingengine.executor.compile.BuildPrecompiledHeaders \
  -cp "$(ls worker/target/worker-*-exec.jar)" org.springframework.boot.loader.launch.PropertiesLauncher \
  "${PCH_DIR:-/usr/local/lib/coding-engine/pch}"

AZURITE_DATA="$data/azurite" ./scripts/azurite.sh start >/dev/null
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:${AZURITE_BLOB_PORT:-10000}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${AZURITE_TABLE_PORT:-10002}/devstoreaccount1;"

if [ ! -s "$data/admin.key" ]; then
  (umask 077; echo "ce_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')" >"$data/admin.key")
fi
admin_key=$(cat "$data/admin.key")
admin_sha256=$(printf '%s' "$admin_key" | sha256sum | cut -d' ' -f1)

nohup java "${jvm_flags[@]}" -jar api/target/api-*-SNAPSHOT.jar \
  --server.port="$port" --coding-engine.broker-port="$broker_port" \
  --coding-engine.access.admin-key-sha256="$admin_sha256" \
  --coding-engine.data-dir="$data/api" --coding-engine.storage="$storage" \
  >"$data/logs/api.log" 2>&1 &
echo $! >"$run/api.pid"
wait_for "the api" curl -sf "http://127.0.0.1:$port/"

cores=$(nproc)
slots=$(( cores / workers > 0 ? cores / workers : 1 ))
for i in $(seq 1 "$workers"); do
  # Out of memory, the worker exits rather than judge on half-dead; its supervisor starts it again.
  (
    trap '' HUP
    supervise_worker "$i" java "${jvm_flags[@]}" -XX:+ExitOnOutOfMemoryError -jar worker/target/worker-*-exec.jar \
      --coding-engine.worker.id="worker-$i" \
      --coding-engine.worker.broker-url="tcp://127.0.0.1:$broker_port" \
      --coding-engine.worker.storage="$storage" \
      --coding-engine.worker.slots="$slots" \
      --coding-engine.worker.uid-base=$(( uid_base + 100 * i )) \
      --coding-engine.worker.cgroup-name="coding-engine-$instance-$i" \
      --coding-engine.worker.data-dir="/var/lib/coding-engine/$instance-$i" \
      --server.port=$(( port + 100 + i ))
  ) >"$data/logs/worker-$i.log" 2>&1 &
  echo $! >"$run/supervisor-$i.pid"
done
for i in $(seq 1 "$workers"); do
  wait_for "worker $i" grep -q "worker consuming with" "$data/logs/worker-$i.log"
done

echo "Coding Engine is running: http://127.0.0.1:$port/  ($workers workers; logs in $data/logs; stop with $0 stop)"
echo "Admin key (in $data/admin.key): $admin_key"
