#!/usr/bin/env bash
# What a fresh network namespace per run costs (see bench/netns-cost.c). Usage: bench/netns-cost.sh [N=500] (as root)
set -euo pipefail
cd "$(dirname "$0")"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
gcc -O2 -o "$out/netns-cost" netns-cost.c
"$out/netns-cost" "${1:-500}"
