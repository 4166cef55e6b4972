#!/usr/bin/env bash
# Target 1: the latency of a Python and a JavaScript hello through the Piston endpoint
# POST /api/v2/execute against the same program started directly (python3 -c, node -e), in one
# run (/usr/bin/python3 and /usr/bin/node, what the engine runs), interleaved (bare, engine, ...),
# one request at a time; median and p90 of
# each, the medians' difference (target ≤ 8 ms) and ratio. The system is bench/system.sh's (what
# scripts/run-local.sh runs: PostgreSQL, the api with its broker, one worker), after its warm-up.
# Usage: bench/execute-latency.sh [runs=200]   (SKIP_BUILD=1 reuses the jars; WARMUP as in system.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200}"
. bench/system.sh
echo "uptime before: $(uptime)"
start_system
python3 bench/execute-latency.py http://127.0.0.1:2100 "$n"
stop_system
echo "uptime after:  $(uptime)"
