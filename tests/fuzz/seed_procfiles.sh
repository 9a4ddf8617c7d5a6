#!/bin/sh
# Seeds for fuzz_procfiles: this machine's own /proc text, prefixed with the
# selector byte of the parser it feeds (0 maps, 1 kallsyms, 2 perf map).
set -eu
out=$1
{ printf '\000'; head -c 60000 /proc/self/maps; } >"$out/seed-maps"
{ printf '\001'; head -c 60000 /proc/kallsyms; } >"$out/seed-kallsyms"
{ printf '\002'; printf '7f0000001000 40 jitted_fn\n7f0000001040 80 LazyCompile:*foo /app.js:1\n0x1 bad\n'; } >"$out/seed-perfmap"
exit 0
