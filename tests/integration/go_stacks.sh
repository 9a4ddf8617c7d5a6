#!/usr/bin/env bash
# Complete Go stacks: podflame's inclusive share of each named function must
# be within 3 percentage points of Go's own profiler's (runtime/pprof, read
# with `go tool pprof -top -cum`), for a program built by this test with a
# frameless leaf in a hot loop, large copy (memmove) and make (memclr), and a
# futex-heavy goroutine pair, and for the allocation-heavy service of the
# doctor test (mallocgc, GC mark workers reached through systemstack, the
# scheduler). Default and stripped builds.
#
# Why the numbers don't flake: both profilers watch the whole life of the
# process (podflame records its cgroup; the program starts after the window
# opens and exits before it closes). Go samples at its default 100 Hz (at
# higher rates its profiler drops samples), podflame at 499 Hz, for ~20 s on
# two busy CPUs: n_go ~ 4000 and n_pf ~ 20000, so the standard error of a
# share difference is at most sqrt(0.25 * (1/n_go + 1/n_pf)) ~ 1 pp and 3 pp
# is beyond three of them. The test checks n_go and says so if it is short.
# The allocation-heavy service runs four times as long: its main.worker
# share sits above Go's by about 1 pp (-0.04 to +2.6 pp in ten runs, with
# the host stealing nothing on some of them, so not stolen time), more
# runtime.lock2 and less of the rest of selectgo; the cause is not known.
# 80 s bring the standard error to ~0.45 pp, and 3 pp is then 4 of them
# above that bias.
source "$(dirname "$0")/../lib.sh"
require_root
require_cmd go

F=499
SECONDS_RUN=${GO_STACKS_SECONDS:-20}
for mode in default stripped; do
	flags=()
	[ $mode = stripped ] && flags=(-ldflags=-s\ -w)
	go_build "$WORK/leafy-$mode" "$ROOT/tests/go/leafy" "${flags[@]}" || { not_ok "build leafy ($mode)"; exit 1; }
	go_build "$WORK/churn-$mode" "$ROOT/tests/go/churn" "${flags[@]}" || { not_ok "build churn ($mode)"; exit 1; }
done

# share FOLDED NAME: podflame's inclusive share (stack contains NAME) in %.
share() {
	awk -v n="$2" '{ c = $NF; $NF = ""; t += c; k = split($0, f, ";"); hit = 0
		for (i = 1; i <= k; i++) { x = f[i]; sub(/ $/, "", x); if (x == n) hit = 1 }
		if (hit) s += c } END { printf "%.2f", t ? 100 * s / t : 0 }' "$1"
}
# go_share PROFILE_TOP NAME: cum% from `go tool pprof -top -cum` output, 0 if absent.
go_share() { awk -v n="$2" '$6 == n { gsub(/%/, "", $5); v = $5 } END { printf "%.2f", v + 0 }' "$1"; }

# run_both NAME BINARY ARGS...: records the program's whole life in a fresh
# cgroup while it writes its own CPU profile.
run_both() {
	local name=$1 bin=$2
	shift 2
	local cg
	cg=$(new_cgroup "podflame-test-$$-$name")
	"$PODFLAME" record --cgroup "$cg" -F $F -d 120 -o "$WORK/$name.folded" 2>"$WORK/$name.err" &
	local rec=$!
	for _ in $(seq 100); do grep -q sampling "$WORK/$name.err" && break; sleep 0.1; done
	bash -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' _ "$cg" "$bin" "$@" \
		-cpuprofile "$WORK/$name.prof" -hz 100 >/dev/null 2>&1
	kill -INT $rec
	wait $rec
	go tool pprof -top -cum -nodefraction=0 -nodecount=100000 "$bin" "$WORK/$name.prof" \
		>"$WORK/$name.top" 2>/dev/null
}

compare() { # NAME FUNCTIONS...
	local name=$1 fn ours theirs n_go
	shift
	n_go=$(awk '/Total samples/ { v = $6; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
		if (u == "ms") v /= 1000; if (u == "mins") v *= 60; printf "%d", v * 100 }' "$WORK/$name.top")
	if [ "${n_go:-0}" -lt 2500 ]; then # (~4000 for leafy, ~14000 for churn)
		echo "    $name: Go's profile has $n_go samples; 3 pp is under 3 standard errors" >&2
	fi
	for fn in "$@"; do
		ours=$(share "$WORK/$name.folded" "$fn")
		theirs=$(go_share "$WORK/$name.top" "$fn")
		if awk -v a="$ours" -v b="$theirs" 'BEGIN { d = a - b; exit !(d <= 3 && d >= -3) }'; then
			ok "$name: $fn $ours% (Go: $theirs%)"
		else
			not_ok "$name: $fn $ours% vs Go's $theirs% (more than 3 pp apart)"
		fi
	done
}

for mode in default stripped; do
	# 4 Ps on 2 CPUs: the copier sits in non-preemptible memmove, and with
	# only 2 Ps the burner can starve; 4 threads share the CPUs fairly.
	GOMAXPROCS=4 run_both "leafy-$mode" "$WORK/leafy-$mode" -s "$SECONDS_RUN"
	compare "leafy-$mode" main.burnMiddle main.burnLeaf main.copier runtime.memmove \
		main.allocator runtime.mallocgc main.pinger main.ponger runtime.mcall runtime.schedule
	# The leaf's parent: burnMiddle right above burnLeaf in >= 95% of its samples.
	leaf=$(folded_matching "$WORK/leafy-$mode.folded" ';main\.burnLeaf( |;)')
	parent=$(folded_matching "$WORK/leafy-$mode.folded" ';main\.burnMiddle;main\.burnLeaf( |;)')
	check "leafy-$mode: burnLeaf's parent present in $parent of $leaf samples (>= 95%)" \
		sh -c "[ $leaf -ge 500 ] && [ $((parent * 100)) -ge $((leaf * 95)) ]"

	GOMAXPROCS=8 run_both "churn-$mode" "$WORK/churn-$mode" -s $((4 * SECONDS_RUN)) -rate 0
	# (runtime.systemstack itself is left out: an aggregate of a dozen call
	# sites, it varied by up to 3.3 pp between quiet runs; the summary counts
	# its callers restored and lost.)
	compare "churn-$mode" runtime.mallocgc runtime.gcBgMarkWorker runtime.gcAssistAlloc \
		runtime.schedule runtime.findRunnable main.worker
done
check "summary reports restored systemstack callers" grep -q 'Go stack switches (systemstack): [1-9]' "$WORK/churn-default.err"
check "summary reports restored frameless-leaf callers" grep -q 'Go frameless leaves: [1-9]' "$WORK/leafy-default.err"

# --frame-pointers-only takes the bare chain, as perf record -g does: the
# frameless leaf's caller is missing again, and nothing is restored.
# The program outlives the window whatever podflame's start-up takes (an
# ASan build on a loaded machine once sampled only its last moments). The
# burner's share of a few seconds swings with the copier and the GC (5% to
# 35% seen): 5 s at 499 Hz gives it >= 130 samples even at 5%, and 50 with
# no caller among them is no accident.
GOMAXPROCS=4 "$WORK/leafy-default" -s 60 >/dev/null 2>&1 &
bare=$!
at_exit "kill -9 $bare"
sleep 0.5
"$PODFLAME" record --pid $bare -F $F -d 5 --frame-pointers-only -o "$WORK/bare.folded" 2>"$WORK/bare.err"
check "--frame-pointers-only: exit 0" test $? -eq 0
kill $bare
wait $bare 2>/dev/null
leaf=$(folded_matching "$WORK/bare.folded" ';main\.burnLeaf( |;)')
parent=$(folded_matching "$WORK/bare.folded" ';main\.burnMiddle;main\.burnLeaf( |;)')
check "--frame-pointers-only: burnLeaf sampled ($leaf), its caller in none ($parent)" \
	sh -c "[ $leaf -ge 50 ] && [ $parent -eq 0 ]"
check "--frame-pointers-only: no callers restored" \
	sh -c "! grep -q 'Go frameless leaves: [1-9]' '$WORK/bare.err'"
# The bare chain skips systemstack's callers too: counted, not silent.
check "--frame-pointers-only: systemstack callers counted as lost" \
	grep -q 'Go stack switches (systemstack): 0 callers restored, [1-9][0-9]* lost' "$WORK/bare.err"
check "summary counts in-kernel keys" grep -q 'distinct stacks from [1-9][0-9]* in-kernel keys' "$WORK/bare.err"
finish
