#!/usr/bin/env bash
# Contest load test (not part of the tests): starts the local stack (scripts/run-local.sh) on its own
# ports, uids and data dir, runs bench/load.py with CONTESTANTS simulated contestants, stops the stack.
# Usage: bench/load.sh [contestants=200] [submissions_each=2] [runs_each=1]
# Environment: WORKERS (2), SKIP_BUILD=1 to reuse the jars in */target.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d /tmp/ce-load-XXXX)
export DATA=$data PORT=2300 BROKER_PORT=61900 UID_BASE=68000 INSTANCE=load \
  AZURITE_BLOB_PORT=10300 AZURITE_QUEUE_PORT=10301 AZURITE_TABLE_PORT=10302
trap 'scripts/run-local.sh stop >/dev/null 2>&1 || true' EXIT
scripts/run-local.sh >/dev/null
python3 bench/load.py "http://127.0.0.1:$PORT" "$(cat "$data/admin.key")" "${1:-200}" "${2:-2}" "${3:-1}"
