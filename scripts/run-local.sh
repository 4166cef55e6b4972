#!/usr/bin/env bash
# Runs the whole system on this machine, no cloud account: PostgreSQL (the stores, a cluster of
# its own), the api (with its embedded Artemis broker) and workers as separate processes. Run as
# root (the sandbox needs namespaces and cgroups).
#
#   scripts/run-local.sh [start]   install what is missing, build, start everything, print the URL
#   scripts/run-local.sh stop      stop what start started
#
# Environment: PORT (api, 2000), WORKERS (2), BROKER_PORT (61616), PG_PORT (15432: the cluster's,
# on 127.0.0.1 only), DATA (./data: logs, the PostgreSQL cluster in $DATA/postgres, the broker
# journal, the admin key; it must be reachable by the system user ce-postgres, which owns the
# cluster because PostgreSQL refuses to run as root), SKIP_BUILD=1 to reuse the jars in */target,
# PCH_DIR (/usr/local/lib/coding-engine/pch: where the precompiled headers are built before the
# workers start; the workers' coding-engine.worker.pch-dir must match), UID_BASE (60000: worker
# i's sandbox uids start at UID_BASE+100*i) and INSTANCE (worker: names
# the workers' cgroups and data dirs) to run beside another copy on the same host, API_HEAP (2g:
# the api's -Xmx; an import holds its package's test data in memory, docs/operations.md).
# The first start makes a bootstrap admin key in $DATA/admin.key (only its SHA-256 reaches the
# api, as coding-engine.access.admin-key-sha256) and prints it; later starts reuse it. It also
# makes the cluster, with the database and user codingengine and a password in
# $DATA/postgres.password, which the api and workers get in their environment (never on a command
# line: sandboxed programs can read those of other processes, not their environment). Worker i
# serves its metrics on port PORT+100+i (/actuator/prometheus). The api or a worker that exits (each
# does after an OutOfMemoryError, a worker also when a judging slot died, docs/operations.md) is
# started again.
set -euo pipefail
# What this script was started with beyond the standard streams (the lock `flock` holds around it,
# say) must not live on in the engine it leaves running: close it here, before anything starts.
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  if [ "$fd" -gt 2 ] && [ "$fd" -ne 255 ]; then eval "exec $fd>&-"; fi
done
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
data="$(realpath -m "${DATA:-$root/data}")"
port="${PORT:-2000}"
workers="${WORKERS:-2}"
broker_port="${BROKER_PORT:-61616}"
uid_base="${UID_BASE:-60000}"
api_heap="${API_HEAP:-2g}"
instance="${INSTANCE:-worker}"
run="$data/run"
pg_port="${PG_PORT:-15432}"
pg_data="$data/postgres"
pg_user=ce-postgres
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
  # The database last: the api and the workers write to it until they stop.
  if [ -s "$pg_data/PG_VERSION" ] && runuser -u "$pg_user" -- "$(pg_bin)/pg_ctl" -D "$pg_data" status >/dev/null; then
    runuser -u "$pg_user" -- "$(pg_bin)/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null && echo "stopped postgres"
  fi
}

# The newest installed PostgreSQL's server binaries (Debian keeps them out of the PATH).
pg_bin() {
  ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1
}

# Makes the cluster on the first start (the database and user codingengine, a password of its
# own), starts it, and exports the api's and the workers' spring.datasource.* settings.
start_postgres() {
  local bin
  bin="$(pg_bin)"
  id -u "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
  if ! runuser -u "$pg_user" -- test -x "$data"; then
    echo "the system user $pg_user cannot reach $data (PostgreSQL refuses to run as root):" \
      "make it and its parents world-searchable, or set DATA to a directory that is" >&2
    exit 1
  fi
  if [ ! -s "$data/postgres.password" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr '+/' '-_' >"$data/postgres.password")
  fi
  if [ ! -s "$pg_data/PG_VERSION" ]; then
    mkdir -p "$pg_data"
    chown "$pg_user": "$pg_data"
    chmod 700 "$pg_data"
    local pwfile
    pwfile="$(runuser -u "$pg_user" -- mktemp)"
    cat "$data/postgres.password" >"$pwfile"
    runuser -u "$pg_user" -- "$bin/initdb" -D "$pg_data" -U codingengine --pwfile="$pwfile" \
      --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$data/logs/initdb.log"
    rm -f "$pwfile"
  fi
  touch "$data/logs/postgres.log"
  chown "$pg_user": "$data/logs/postgres.log"
  if ! runuser -u "$pg_user" -- "$bin/pg_ctl" -D "$pg_data" status >/dev/null; then
    runuser -u "$pg_user" -- "$bin/pg_ctl" -D "$pg_data" -l "$data/logs/postgres.log" -w -t 60 \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_data" start >/dev/null
  fi
  export PGPASSWORD
  PGPASSWORD="$(cat "$data/postgres.password")"
  if [ -z "$("$bin/psql" -h 127.0.0.1 -p "$pg_port" -U codingengine -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'codingengine'")" ]; then
    "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U codingengine codingengine
  fi
  export SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$pg_port/codingengine"
  export SPRING_DATASOURCE_USERNAME=codingengine
  export SPRING_DATASOURCE_PASSWORD="$PGPASSWORD"
  unset PGPASSWORD
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

# Runs the command after $1 (the api, worker-<i>: its pid file's name) and starts it again
# whenever it exits, until stop ends this loop first.
supervise() {
  local name=$1 status
  shift
  while :; do
    "$@" &
    echo $! >"$run/$name.pid"
    status=0
    wait $! || status=$?
    echo "run-local: $name exited with status $status; starting it again in 5 s"
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
if [ "${SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -ntp -DskipTests package
fi
# The precompiled headers (about 1 GB, a minute on two cores the first time; only a check when
# they are valid), so that the workers' start-up finds them built.
java -Dloader.main=io.codingengine.executor.compile.BuildPrecompiledHeaders \
  -cp "$(ls worker/target/worker-*-exec.jar)" org.springframework.boot.loader.launch.PropertiesLauncher \
  "${PCH_DIR:-/usr/local/lib/coding-engine/pch}"

start_postgres

if [ ! -s "$data/admin.key" ]; then
  (umask 077; echo "ce_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')" >"$data/admin.key")
fi
admin_key=$(cat "$data/admin.key")
admin_sha256=$(printf '%s' "$admin_key" | sha256sum | cut -d' ' -f1)

# A bounded heap, and out of memory the api exits rather than serve on half-dead (a thread that
# allocates then fails, whatever it was: Tomcat, the pool, the embedded broker); started again.
(
  trap '' HUP
  supervise api java "${jvm_flags[@]}" -Xmx"$api_heap" -XX:+ExitOnOutOfMemoryError -jar api/target/api-*-SNAPSHOT.jar \
    --server.port="$port" --coding-engine.broker-port="$broker_port" \
    --coding-engine.access.admin-key-sha256="$admin_sha256" \
    --coding-engine.data-dir="$data/api"
) >"$data/logs/api.log" 2>&1 &
echo $! >"$run/supervisor-api.pid"
wait_for "the api" curl -sf "http://127.0.0.1:$port/"

cores=$(nproc)
slots=$(( cores / workers > 0 ? cores / workers : 1 ))
for i in $(seq 1 "$workers"); do
  # Out of memory, the worker exits rather than judge on half-dead; its supervisor starts it again.
  (
    trap '' HUP
    supervise "worker-$i" java "${jvm_flags[@]}" -XX:+ExitOnOutOfMemoryError -jar worker/target/worker-*-exec.jar \
      --coding-engine.worker.id="worker-$i" \
      --coding-engine.worker.broker-url="tcp://127.0.0.1:$broker_port" \
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
