#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds every module and runs every test
# against real parts (bubblewrap sandboxes, real compilers, Artemis, PostgreSQL, Azurite). Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/azurite.sh install
# docker-compose.yml cannot run without a Docker engine; it must at least parse.
docker-compose -f docker-compose.yml config -q
source scripts/jdk.sh
./mvnw -B -ntp verify "$@"
