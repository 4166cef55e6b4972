# Sourced by every script that builds or runs the engine: the JDK they use, defined here once.
# JDK 25 (Temurin's Debian package path); CE_JAVA_HOME points elsewhere. The machine's default
# `java` may be older, so JAVA_HOME from the caller's environment is not trusted.
CE_JAVA_HOME="${CE_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME="$CE_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"
