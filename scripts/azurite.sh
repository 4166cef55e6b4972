#!/usr/bin/env bash
# Azurite, Microsoft's Azure Storage emulator, for the local verdict store (Table) and problem
# store (Blob).
#
#   scripts/azurite.sh install   install the pinned version under .tools/azurite if missing
#   scripts/azurite.sh [start]   install if missing, start it in the background, wait until its
#                                ports answer, print the connection string
#   scripts/azurite.sh stop      stop the instance that 'start' started
#   scripts/azurite.sh status    say whether it runs
#
# Environment: AZURITE_HOST (127.0.0.1), AZURITE_BLOB_PORT (10000), AZURITE_TABLE_PORT (10002),
# AZURITE_DATA (empty: in-memory persistence; a directory: data kept there across restarts).
# Needs node and npm (Debian: nodejs npm). Azurite 3.36 and later need Node.js >= 21; 3.35.0 is
# the newest that runs on Debian 12's Node.js 20, hence the pin.
set -euo pipefail

AZURITE_VERSION=3.35.0
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
prefix="$tools/azurite"
bin="$prefix/node_modules/azurite/dist/src/azurite.js"
run="$tools/azurite-run"
host="${AZURITE_HOST:-127.0.0.1}"
blob_port="${AZURITE_BLOB_PORT:-10000}"
table_port="${AZURITE_TABLE_PORT:-10002}"
data="${AZURITE_DATA:-}"

# The emulator's published development account (not a secret: it is in Microsoft's docs).
account=devstoreaccount1
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

install() {
  command -v node >/dev/null || { echo "azurite.sh: node is missing (apt-get install nodejs npm)" >&2; exit 1; }
  if [ -f "$bin" ] && grep -q "\"version\": \"$AZURITE_VERSION\"" "$prefix/node_modules/azurite/package.json"; then
    return
  fi
  command -v npm >/dev/null || { echo "azurite.sh: npm is missing (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$prefix"
  # Keep the tool directory out of git without touching the repository's .gitignore.
  [ -f "$tools/.gitignore" ] || echo '*' > "$tools/.gitignore"
  echo "installing azurite@$AZURITE_VERSION into $prefix" >&2
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >&2
}

answers() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }

running_pid() {
  [ -f "$run/pid" ] || return 1
  local pid; pid="$(cat "$run/pid")"
  if kill -0 "$pid" 2>/dev/null && grep -q azurite "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
    return 0
  fi
  return 1
}

connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://$host:$blob_port/$account;TableEndpoint=http://$host:$table_port/$account;"
}

start() {
  install
  if pid="$(running_pid)"; then
    echo "azurite.sh: already running (pid $pid)" >&2
    connection_string
    return
  fi
  for p in "$blob_port" "$table_port"; do
    if answers "$p"; then echo "azurite.sh: port $host:$p is taken by another process" >&2; exit 1; fi
  done
  mkdir -p "$run"
  local args=(--blobHost "$host" --blobPort "$blob_port" --tableHost "$host" --tablePort "$table_port"
              --queuePort 0 --skipApiVersionCheck --loose --disableProductStyleUrl --disableTelemetry --silent)
  if [ -n "$data" ]; then
    mkdir -p "$data"
    args+=(--location "$data")
  else
    args+=(--inMemoryPersistence)
  fi
  (cd "$run" && exec nohup node "$bin" "${args[@]}" >"$run/azurite.log" 2>&1 </dev/null) &
  echo $! > "$run/pid"
  for _ in $(seq 1 150); do
    if answers "$blob_port" && answers "$table_port"; then
      echo "azurite.sh: started (pid $(cat "$run/pid"), log $run/azurite.log)" >&2
      connection_string
      return
    fi
    if ! kill -0 "$(cat "$run/pid")" 2>/dev/null; then
      echo "azurite.sh: azurite exited at start; its log:" >&2
      cat "$run/azurite.log" >&2
      rm -f "$run/pid"
      exit 1
    fi
    sleep 0.2
  done
  echo "azurite.sh: ports $blob_port/$table_port did not answer within 30 s; log: $run/azurite.log" >&2
  stop
  exit 1
}

stop() {
  if pid="$(running_pid)"; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "azurite.sh: stopped (pid $pid)" >&2
  else
    echo "azurite.sh: not running" >&2
  fi
  rm -f "$run/pid"
}

case "${1:-start}" in
  install) install; echo "$bin" ;;
  start) start ;;
  stop) stop ;;
  status) if pid="$(running_pid)"; then echo "running (pid $pid)"; connection_string; else echo "not running"; exit 3; fi ;;
  connection-string) connection_string ;;
  *) echo "usage: $0 [install|start|stop|status|connection-string]" >&2; exit 2 ;;
esac
