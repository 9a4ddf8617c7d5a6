#!/bin/sh
# Seeds for fuzz_elf: small real ELF files of this machine (the fuzzer takes
# at most 64 KiB of each, so their headers and first sections).
set -eu
out=$1
for f in /bin/true /usr/lib/x86_64-linux-gnu/libz.so.1 build/tests/helpers/spin; do
	[ -f "$f" ] && head -c 65536 "$f" >"$out/seed-$(basename "$f")"
done
exit 0
