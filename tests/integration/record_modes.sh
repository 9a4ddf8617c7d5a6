#!/usr/bin/env bash
# record --pid (repeatable), -a, Ctrl-C/SIGTERM ending the window early, and
# the user/kernel-only switches, on the real kernel.
source "$(dirname "$0")/../lib.sh"
require_root

SPIN=$ROOT/$BUILD/tests/helpers/spin
for name in alpha beta gamma; do cp "$SPIN" "$WORK/$name"; done

# --pid twice: both targets sampled, the third busy process never.
"$WORK/alpha" -s 4 >/dev/null & a=$!
"$WORK/beta" -s 4 >/dev/null & b=$!
"$WORK/gamma" -s 4 >/dev/null & g=$!
at_exit "kill -9 $a $b $g"
"$PODFLAME" record --pid $a --pid $b -d 2 -o "$WORK/pid.folded" 2>"$WORK/pid.err"
check "--pid exits 0" test $? -eq 0
# Thresholds are presence, not rate: other work on the machine may slow the
# spinners, never make a target vanish or attribute it elsewhere.
mostly_leaf() { # FILE COMM: >= 5 samples of COMM, >= 90% of them in the leaf
	local all leaf
	all=$(folded_matching "$1" "^$2;")
	leaf=$(folded_matching "$1" "^$2;.*podflame_spin_middle;podflame_spin_leaf")
	[ "$all" -ge 5 ] && within_pct "$leaf" "$all" 10
}
check "--pid: first target sampled in its leaf" mostly_leaf "$WORK/pid.folded" alpha
check "--pid: second target sampled in its leaf" mostly_leaf "$WORK/pid.folded" beta
check "--pid: other process never sampled" test "$(folded_matching "$WORK/pid.folded" '^gamma;')" -eq 0
others=$(awk '$0 !~ /^(alpha|beta);/ { s += $NF } END { print s + 0 }' "$WORK/pid.folded")
check "--pid: nothing but the targets ($others other samples)" test "$others" -eq 0
wait $a $b $g 2>/dev/null

# --pid on a process that execs after podflame looked at it (as a shell's
# `cmd &` child may still be the shell when podflame starts): named and
# symbolized as the program it became, not the shell it was.
bash -c 'sleep 1; exec "$1" -s 3' _ "$WORK/beta" >/dev/null & b=$!
at_exit "kill -9 $b"
"$PODFLAME" record --pid $b -d 3 -o "$WORK/exec.folded" 2>"$WORK/exec.err"
check "--pid target execs in the window: exit 0" test $? -eq 0
check "--pid target execs in the window: named and symbolized as the new program" \
	mostly_leaf "$WORK/exec.folded" beta
others=$(awk '$0 !~ /^beta;/ { s += $NF } END { print s + 0 }' "$WORK/exec.folded")
check "--pid target execs in the window: nothing under the old name ($others samples)" test "$others" -eq 0
wait $b 2>/dev/null

# --pid on a process that exits during the window: perf's behaviour, the
# window ends with it and the output is written.
# (3 s: long enough to outlive podflame's start-up on a loaded machine)
"$WORK/alpha" -s 3 >/dev/null & a=$!
"$PODFLAME" record --pid $a -d 20 -o "$WORK/exit.folded" 2>"$WORK/exit.err"
rc=$?
check "--pid target exits: record ends with it, exit 0" test $rc -eq 0
check "--pid target exits: its samples written and symbolized" mostly_leaf "$WORK/exit.folded" alpha

# -a: the whole host, our busy process among it.
"$WORK/gamma" -s 3 >/dev/null & g=$!
"$PODFLAME" record -a -d 2 -o "$WORK/all.folded" 2>"$WORK/all.err"
check "-a exits 0" test $? -eq 0
check "-a: busy process sampled" mostly_leaf "$WORK/all.folded" gamma
check "-a: idle task excluded by default" test "$(folded_matching "$WORK/all.folded" '^swapper')" -eq 0
wait $g 2>/dev/null

# Kernel-only and user-only, each with its own spinner.
"$WORK/gamma" -s 5 >/dev/null & g=$!
"$PODFLAME" record --pid $g -d 2 --kernel-only -o "$WORK/k.folded" 2>/dev/null
check "--kernel-only: no user frames" test "$(folded_matching "$WORK/k.folded" 'podflame_spin')" -eq 0
kill $g; wait $g 2>/dev/null
"$WORK/gamma" -s 5 >/dev/null & g=$!
"$PODFLAME" record --pid $g -d 2 --user-only -o "$WORK/u.folded" 2>/dev/null
check "--user-only: no kernel frames" test "$(folded_matching "$WORK/u.folded" '_\[k\]')" -eq 0
check "--user-only: user frames" mostly_leaf "$WORK/u.folded" gamma
kill $g; wait $g 2>/dev/null

# SIGINT and SIGTERM end a long window early and still write everything.
for sig in INT TERM; do
	"$WORK/gamma" -s 4 >/dev/null & g=$!
	"$PODFLAME" record --pid $g -d 60 -o "$WORK/sig.folded" 2>"$WORK/sig.err" & r=$!
	for _ in $(seq 100); do grep -q sampling "$WORK/sig.err" && break; sleep 0.1; done
	sleep 1.5
	kill -$sig $r
	start=$(date +%s)
	wait $r
	rc=$?
	took=$(($(date +%s) - start))
	check "SIG$sig: exit 0 (got $rc)" test $rc -eq 0
	check "SIG$sig: stopped promptly (${took}s)" test $took -le 5
	check "SIG$sig: output written with samples" mostly_leaf "$WORK/sig.folded" gamma
	check "SIG$sig: summary says it ended early" grep -q "ending the window early" "$WORK/sig.err"
	kill $g 2>/dev/null
	wait $g 2>/dev/null
	rm -f "$WORK/sig.folded"
done
check "no temporary files left" test -z "$(find "$WORK" -name '.*.tmp.*')"

# Errors that name the cause.
"$PODFLAME" record --pid 999999999 -d 1 -o "$WORK/x.folded" 2>"$WORK/e1.err"
rc=$?
check "no such pid: exit 1 with the cause" sh -c "[ $rc -eq 1 ] && grep -q 'no such process' '$WORK/e1.err'"
"$PODFLAME" record --cgroup /nonexistent-podflame -d 1 2>"$WORK/e2.err"
rc=$?
check "no such cgroup: exit 1 naming it" sh -c "[ $rc -eq 1 ] && grep -q 'nonexistent-podflame' '$WORK/e2.err'"
"$PODFLAME" record -a --pid 1 2>"$WORK/e3.err"
check "two target kinds: usage error 2" test $? -eq 2
"$PODFLAME" record -a -o "$WORK/x.weird" 2>"$WORK/e4.err"
check "unknown output extension: usage error 2" test $? -eq 2
"$PODFLAME" record 2>/dev/null
check "no target: usage error 2" test $? -eq 2
"$PODFLAME" record --help | grep -q -- "--cgroup PATH"
check "--help prints usage to stdout" test $? -eq 0
finish
