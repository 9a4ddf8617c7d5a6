#!/usr/bin/env bash
# A machine without kernel BTF or bpftool at build time gets
# bpf/vmlinux_fallback.h: the BPF object built from it must still load here
# (CO-RE relocates its few types against the running kernel) and record.
source "$(dirname "$0")/../lib.sh"
require_root

fb=$WORK/build
if ! make -s -C "$ROOT" BUILD="$fb" VMLINUX_H=bpf/vmlinux_fallback.h "$fb/podflame" >"$WORK/make.log" 2>&1; then
	not_ok "build with the fallback vmlinux.h" "$(tail -20 "$WORK/make.log")"
	exit 1
fi
ok "build with the fallback vmlinux.h"
check "the fallback header was used" cmp -s "$ROOT/bpf/vmlinux_fallback.h" "$fb/vmlinux.h"
cp "$ROOT/$BUILD/tests/helpers/spin" "$WORK/fbspin"
"$WORK/fbspin" -s 3 >/dev/null &
spin=$!
"$fb/podflame" record --pid $spin -d 1.5 -o "$WORK/out.folded" 2>"$WORK/rec.err"
check "records with the fallback-built program" test $? -eq 0
check "full stacks with the fallback-built program" \
	test "$(folded_matching "$WORK/out.folded" '^fbspin;.*main;podflame_spin_middle;podflame_spin_leaf')" -gt 0
wait $spin
finish
