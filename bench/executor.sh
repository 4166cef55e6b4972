#!/usr/bin/env bash
# Executor benchmark: bare process vs the sandboxed executor, same machine, same run.
# Usage: bench/executor.sh [iterations] [python|trivial|compile|compile-off|cpu|interactive]   (as root; needs the build of ./scripts/test.sh set-up)
# "trivial" measures only the per-run overhead on a trivial C program: bare, fresh box, pre-started box.
#   interactive: a test of an interactive problem (submission and validator in two boxes, two pipes) against a plain test's run
#   compile: the compile-speed targets (warm javac, precompiled header, 50 tests in one submission);
#   compile-off: the same cases with the speed-ups off (the numbers before)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
# Built in the reactor (common's classes come from common/target): never `mvn install`, the ~/.m2
# SNAPSHOTs are shared with other worktrees.
./mvnw -q -pl executor -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="executor/target/test-classes:executor/target/classes:$(cat executor/target/bench.classpath)"
exec java --enable-native-access=ALL-UNNAMED -cp "$cp" io.codingengine.executor.bench.ExecutorBench "${1:-30}" ${2:-}
