#!/usr/bin/env bash
# Prints the shared libraries the language runtimes load (the ldd closure of their ELF files), as
# the glob lines of executor/src/main/resources/runtime-view.txt; run it after installing or
# upgrading a runtime and add what is missing there.
set -euo pipefail
{
  for f in /usr/bin/python3 /usr/bin/node /usr/bin/sh /usr/bin/bash /usr/bin/true /usr/bin/cat /usr/bin/env \
           /usr/bin/g++ /usr/bin/gcc /usr/bin/as /usr/bin/ld /usr/bin/ld.gold; do
    [ -e "$f" ] && readlink -f "$f"
  done
  find /usr/lib/jvm /usr/lib/gcc /usr/libexec/gcc /usr/lib/python3 /usr/lib/python3.* /usr/lib/x86_64-linux-gnu/gconv \
       -type f \( -name '*.so*' -o -perm -u+x \) 2>/dev/null
} | while read -r f; do
  file -b "$f" | grep -q '^ELF.*dynamic' && ldd "$f" 2>/dev/null | grep -oE '=> /[^ ]+' | cut -c4- || true
done | sed -e 's#^/lib/#/usr/lib/#' | grep '^/usr/lib/x86_64-linux-gnu/lib' \
  | sed -E 's#^(/usr/lib/x86_64-linux-gnu/lib[^/]*\.so)(\.[0-9]+)?.*#\1\2*#' | sort -u
