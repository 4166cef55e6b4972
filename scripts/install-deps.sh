#!/usr/bin/env bash
# Installs what building and testing Coding Engine needs on a fresh Debian 12 machine (as root).
# Idempotent: installs only what is missing.
set -euo pipefail

need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
[ -f /usr/include/seccomp.h ] || need+=(libseccomp-dev)
command -v gcc >/dev/null || need+=(gcc)
command -v g++ >/dev/null || need+=(g++)
[ -x /usr/bin/python3 ] || need+=(python3)
[ -x /usr/bin/node ] || need+=(nodejs)
# The UI bundle (npm ci + esbuild in the api build) and the Piston client tests need npm itself.
command -v npm >/dev/null || need+=(npm)
# ce-sandbox is linked statically: libc.a (libc6-dev) and libseccomp.a (libseccomp-dev).
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need+=(libc6-dev)
[ -f /usr/lib/x86_64-linux-gnu/libseccomp.a ] || need+=(libseccomp-dev)
# Maven itself comes through ./mvnw (Maven Central), which needs curl and unzip.
command -v curl >/dev/null || need+=(curl)
command -v unzip >/dev/null || need+=(unzip)
[ -d /usr/lib/jvm/java-17-openjdk-amd64 ] || need+=(openjdk-17-jdk-headless)
command -v docker-compose >/dev/null || need+=(docker-compose)
# The contest UI's end-to-end tests drive Debian's headless Chromium (playwright-core cannot download one here).
[ -x /usr/bin/chromium ] || need+=(chromium)
# The stores' database: run-local.sh runs its own cluster with initdb and pg_ctl, and so do the tests.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${need[@]}" || { apt-get update && apt-get install -y --no-install-recommends "${need[@]}"; }
fi

source "$(dirname "$0")/jdk.sh"
if [ ! -x "$JAVA_HOME/bin/java" ]; then
  echo "JDK 25 is required at $JAVA_HOME (set CE_JAVA_HOME to use another path)" >&2
  exit 1
fi
