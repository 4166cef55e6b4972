#!/usr/bin/env bash
# Contest load test (not part of the tests): starts the local stack (scripts/run-local.sh) on its own
# ports, uids and data dir, runs the Java client io.codingengine.api.bench.ContestLoad (api's test
# sources) with CONTESTANTS simulated contestants, stops the stack.
# Usage: bench/load.sh [contestants=200] [submissions_each=2] [runs_each=1]
# Environment: WORKERS (2), SKIP_BUILD=1 to reuse the jars in */target and the compiled client,
# STORE=azure to run on Azurite (in memory, ports 10300 and 10302) instead of PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
# Built in the reactor (common's classes come from common/target): never `mvn install`, the ~/.m2
# SNAPSHOTs are shared with other worktrees.
if [ "${SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -ntp -pl api -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/load.classpath -Dmdep.includeScope=test
fi
cp="api/target/test-classes:$(cat api/target/load.classpath)"
data=$(mktemp -d /tmp/ce-load-XXXX)
chmod 755 "$data" # PostgreSQL runs as the system user ce-postgres (scripts/run-local.sh)
export DATA=$data PORT=2300 BROKER_PORT=61900 UID_BASE=68000 INSTANCE=load \
  AZURITE_BLOB_PORT=10300 AZURITE_QUEUE_PORT=10301 AZURITE_TABLE_PORT=10302
trap 'scripts/run-local.sh stop >/dev/null 2>&1 || true' EXIT
case "${STORE:-postgres}" in
  postgres) ;;
  azure)
    trap 'scripts/run-local.sh stop >/dev/null 2>&1 || true; scripts/azurite.sh stop >/dev/null 2>&1 || true' EXIT
    storage=$(scripts/azurite.sh start)
    export CODINGENGINE_STORE=azure CODINGENGINE_STORAGE="$storage" CODINGENGINE_WORKER_STORAGE="$storage" ;;
  *) echo "STORE is postgres (the default) or azure, not $STORE" >&2; exit 2 ;;
esac
echo "store: ${STORE:-postgres}; uptime before: $(uptime)"
scripts/run-local.sh >/dev/null
java -cp "$cp" io.codingengine.api.bench.ContestLoad "http://127.0.0.1:$PORT" "$(cat "$data/admin.key")" \
  "${1:-200}" "${2:-2}" "${3:-1}"
