#!/usr/bin/env bash
# scripts/ci-compare.sh end to end on the real kernel: two builds of one Go
# benchmark (the head build hands work between goroutines, so the Go
# scheduler takes a real share of its CPU), each profiled in its own cgroup,
# then diffed with gates. The scheduler gate must trip on base -> head and
# must not on base -> base.
source "$(dirname "$0")/../lib.sh"
require_root
require_cmd go

go_build "$WORK/bench-base" "$ROOT/tests/go/handoff" || { not_ok "build base"; exit 1; }
go_build "$WORK/bench-head" "$ROOT/tests/go/handoff" -ldflags "-X main.mode=handoff" ||
	{ not_ok "build head"; exit 1; }
export PODFLAME
ci() { "$ROOT/scripts/ci-compare.sh" "$@" >"$WORK/ci.out" 2>"$WORK/ci.err"; echo $?; cat "$WORK/ci.err" >>"$WORK/ci.log"; }

rc=$(ci --base "$WORK/bench-base -s 2" --head "$WORK/bench-head -s 2" --out "$WORK/reg" \
	-- --fail-if 'runtime.schedule>+5pp')
check "regression: exit 1" test "$rc" -eq 1
[ "$rc" -eq 1 ] || { cat "$WORK/ci.err" "$WORK/ci.out" >&2; }
check "regression: the scheduler gate is named" grep -q "gate tripped: runtime.schedule>+5pp" "$WORK/ci.err"
for f in base.folded head.folded base.pb.gz head.pb.gz diff.md diff.json diff.txt; do
	check "regression: wrote $f" test -s "$WORK/reg/$f"
done
check "regression: markdown says the gate tripped" grep -q '❌ tripped' "$WORK/reg/diff.md"
check "regression: text report on stdout" grep -q '^podflame diff: ' "$WORK/ci.out"
# Base and head binaries have different names: with --no-comm the root
# frames are the program's, not the process names.
check "no process-name root frames" test -z "$(grep -E '^bench-(base|head);' "$WORK/reg/head.folded")"
head_sched=$(folded_matching "$WORK/reg/head.folded" 'runtime\.schedule')
check "head spends samples in runtime.schedule ($head_sched)" test "$head_sched" -gt 0

rc=$(ci --base "$WORK/bench-base -s 1.5" --head "$WORK/bench-base -s 1.5" --runs 2 --out "$WORK/same" \
	-- --fail-if 'runtime.schedule>+5pp')
check "same build twice (2 alternating runs each): exit 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || { cat "$WORK/ci.err" "$WORK/ci.out" >&2; }
check "runs are merged" test "$(folded_total "$WORK/same/base.folded")" -eq \
	"$(($(folded_total "$WORK/same/base.1.folded") + $(folded_total "$WORK/same/base.2.folded")))"

rc=$(ci --base "false" --head "$WORK/bench-base -s 0.5" --out "$WORK/fail")
check "a failing benchmark fails the job: exit 1" test "$rc" -eq 1
check "... saying so" grep -q "base run 1: the benchmark exited 1" "$WORK/ci.err"
rc=$(ci --base "true")
check "usage error: exit 2" test "$rc" -eq 2
rc=$(ci --base "true" --head "true" --out "$WORK/gate" -- --fail-if 'runtime.schedule>2')
check "malformed gate: exit 2" test "$rc" -eq 2
check "no cgroups left behind" test -z "$(find "$(cgroup2_root)" -maxdepth 1 -name 'podflame-ci-*')"
finish
