#!/usr/bin/env bash
# record --cgroup on the real kernel: a C program (frame pointers) and a Go
# program, each spinning in a known function, run inside a fresh cgroup — the
# Go one in a nested pod/container cgroup — while a busy process runs outside.
# The workloads start after the window opens and exit before it closes, so the
# cgroup's whole CPU time (cpu.stat usage_usec) falls inside the window and
# both processes have exited when symbolization runs.
source "$(dirname "$0")/../lib.sh"
require_root
require_cmd go

F=99
SPIN=$ROOT/$BUILD/tests/helpers/spin
go_build "$WORK/gospin" "$ROOT/tests/go/spin" || { not_ok "build Go workload"; exit 1; }
cp "$SPIN" "$WORK/outsider"

target=$(new_cgroup "podflame-test-$$-target")
mkdir -p "$target/pod/ctr"
outside=$(new_cgroup "podflame-test-$$-outside")

ticks0=$(busy_steal_ticks)
"$PODFLAME" record --cgroup "$target" -F $F -d 7 -o "$WORK/out.folded" 2>"$WORK/record.err" &
rec=$!
for _ in $(seq 100); do grep -q sampling "$WORK/record.err" && break; sleep 0.1; done
check "record starts sampling" grep -q sampling "$WORK/record.err"

start_in_cgroup "$outside" "$WORK/outsider" -s 4
outsider=$REPLY
start_in_cgroup "$target" "$SPIN" -s 2.5
c_pid=$REPLY
start_in_cgroup "$target/pod/ctr" "$WORK/gospin" -s 2.5
go_pid=$REPLY
wait "$c_pid" "$go_pid"
wait "$rec"
rc=$?
ticks1=$(busy_steal_ticks)
wait "$outsider" 2>/dev/null

check "record exits 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$WORK/record.err" >&2
total=$(folded_total "$WORK/out.folded")
usage=$(cgroup_usage_usec "$target")
expected_samples $F "$usage" "$ticks0" "$ticks1"
expected=$REPLY
if within_pct "$total" "$expected" 10; then
	ok "samples ($total) within 10% of F x cgroup CPU time ($expected, host stole $STEAL_PCT%)"
else
	not_ok "samples ($total) within 10% of F x cgroup CPU time ($expected, host stole $STEAL_PCT%)"
fi

c_total=$(folded_matching "$WORK/out.folded" '^spin;')
c_known=$(folded_matching "$WORK/out.folded" '^spin;.*podflame_spin_middle;podflame_spin_leaf')
if [ "$c_total" -gt 0 ] && within_pct "$c_known" "$c_total" 10; then
	ok "C program: $c_known of $c_total samples in middle;leaf"
else
	not_ok "C program: $c_known of $c_total samples in middle;leaf (want >= 90%)"
fi

go_total=$(folded_matching "$WORK/out.folded" '^gospin;')
go_known=$(folded_matching "$WORK/out.folded" '^gospin;.*main\.spinLeaf')
if [ "$go_total" -gt 0 ] && within_pct "$go_known" "$go_total" 10; then
	ok "Go program in nested cgroup: $go_known of $go_total samples in main.spinLeaf"
else
	not_ok "Go program in nested cgroup: $go_known of $go_total samples in main.spinLeaf (want >= 90%)"
fi

out_samples=$(folded_matching "$WORK/out.folded" '^outsider;')
check "no samples from the busy process outside the cgroup ($out_samples)" test "$out_samples" -eq 0

# Both workloads had exited before the window closed: their frames still resolve.
unknown=$(folded_matching "$WORK/out.folded" '^(spin|gospin);.*(\[unknown\]|spin\+0x)')
check "exited processes still symbolized ($unknown samples with unknown frames)" \
	test "$unknown" -le $((total / 20))
check "summary reports no losses" grep -q "lost: none" "$WORK/record.err"
check "no temporary files left" test -z "$(find "$WORK" -name '.*.tmp.*')"
finish
