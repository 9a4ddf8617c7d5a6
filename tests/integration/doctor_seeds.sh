#!/usr/bin/env bash
# The seeds' failure reproduced and judged. tests/go/churn (a service with a
# fixed request rate: goroutine handoffs, allocation, GC) runs in a pod's
# container limited to 1 CPU, once with GOMAXPROCS=64 (a 64-core host's
# default) and once with GOMAXPROCS=1. `podflame doctor` must flag the first
# (exit 3, recommendation 1, throttling) and pass the second (exit 0); the
# first must burn far more CPU for the same requests (measured 2.5-3.0x),
# more of it in the scheduler and GC-worker families.
#
# The limit is v2 cpu.max where the cpu controller is on cgroup2, else the
# v1 cpu controller (this machine). The test cgroups get the maximum CPU
# weight so that the quota, not other load on the machine, bounds them.
source "$(dirname "$0")/../lib.sh"
require_root
require_cmd go node

V2=$(cgroup2_root)
V1=$(cgroup1_root cpu)
[ -n "$V2" ] || { skip "$TEST_NAME" "no cgroup2 mount (perf's cgroup mode needs one)"; exit 0; }
go_build "$WORK/churn" "$ROOT/tests/go/churn" || { not_ok "build churn"; exit 1; }

top=podflame-test-$$-doctor
at_exit "kill_cgroup '$V2/$top'"
v2_cpu=0
if grep -qw cpu "$V2/cgroup.controllers" 2>/dev/null; then
	v2_cpu=1
	echo +cpu >"$V2/cgroup.subtree_control" 2>/dev/null
else
	[ -n "$V1" ] || { skip "$TEST_NAME" "no cpu controller on cgroup2 or v1"; exit 0; }
	at_exit "kill_cgroup '$V1/$top'"
fi

# pod_dirs UID CID: creates a systemd-driver pod with one container limited
# to 1 CPU; sets DIRS to the container's directories (cgroup2 [v1 cpu]).
pod_dirs() {
	local rel=$top/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${1//-/_}.slice
	local d
	for d in "$top" "$top/kubepods.slice" "$top/kubepods.slice/kubepods-burstable.slice" "$rel"; do
		mkdir -p "$V2/$d"
		[ "$v2_cpu" -eq 1 ] && echo +cpu >"$V2/$d/cgroup.subtree_control" 2>/dev/null
	done
	rel=$rel/cri-containerd-$2.scope
	mkdir -p "$V2/$rel"
	DIRS=$V2/$rel
	if [ "$v2_cpu" -eq 1 ]; then
		echo "100000 100000" >"$V2/$rel/cpu.max"
		echo 10000 >"$V2/$top/cpu.weight"
	else
		mkdir -p "$V1/$rel"
		echo 100000 >"$V1/$rel/cpu.cfs_period_us"
		echo 100000 >"$V1/$rel/cpu.cfs_quota_us"
		echo 262144 >"$V1/$top/cpu.shares"
		DIRS="$DIRS $V1/$rel"
	fi
}

# start_churn GOMAXPROCS SECONDS DIRS...: the workload in those cgroups,
# collecting often (GOGC=10) as in the seeds, at a rate GOMAXPROCS=1 serves
# in about a third of its quota. The quota caps the GOMAXPROCS=64 run, so
# the CPU ratios below can never exceed quota / (GOMAXPROCS=1's CPU): with
# 1 KiB requests at 80k/s GOMAXPROCS=1 needed 0.45-0.6 CPU and the ratios
# sank to 1.3-1.6x on a slower day (below the 1.5x asserted); 256 B at
# 120k/s measured 0.33-0.37 CPU and 2.5-3.0x, throttled in 71-90 periods.
start_churn() {
	local g=$1 s=$2
	shift 2
	GOMAXPROCS=$g bash -c 'for d in "${@:3}"; do echo $$ >"$d/cgroup.procs" || exit 1; done; exec "$1" -s "$2" -size 256 -gogc 10 -rate 120000' \
		_ "$WORK/churn" "$s" "$@" >"$WORK/churn-$g.out" &
	REPLY=$!
	at_exit "kill -9 $REPLY"
}

jsq() { node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(eval(process.argv[2]))' "$1" "$2"; }
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; fi
}
# share_re FOLDED REGEX: share (%) of samples whose stack has a matching frame.
share_re() { awk -v re="$2" '{ c = $NF; t += c; $NF = ""; if ($0 ~ re) s += c } END { printf "%.2f", t ? 100 * s / t : 0 }' "$1"; }

UID64=64646464-6464-4646-8646-$(printf '%012x' $$)
CID64=$(printf '64%062x' $$)
UID1=11111111-1111-4111-8111-$(printf '%012x' $$)
CID1=$(printf '11%062x' $$)
D=10
# 299 Hz: enough samples that the family shares below differ by several
# standard errors (about 1.5 pp each way at ~1000 and ~3000 samples).
F=299

# --- GOMAXPROCS=64 ---------------------------------------------------------
pod_dirs "$UID64" "$CID64"
# shellcheck disable=SC2086
start_churn 64 $((D + 14)) $DIRS
pid64=$REPLY
sleep 1
"$PODFLAME" doctor --pod "$UID64" -F $F -d $D --json -q -o "$WORK/run64.folded" >"$WORK/run64.json" 2>"$WORK/run64.err"
rc=$?
check "GOMAXPROCS=64: doctor exits 3 (a finding)" test "$rc" -eq 3
[ "$rc" -eq 3 ] || cat "$WORK/run64.err" >&2
check_eq "GOMAXPROCS=64: verdict, GOMAXPROCS observed from env, limit 1, recommendation 1" \
	"$(jsq "$WORK/run64.json" "[d.verdict, d.pid, d.gomaxprocs, d.gomaxprocs_source, d.gomaxprocs_observed, d.cpu_limit, d.recommended_gomaxprocs].join(' ')")" \
	"gomaxprocs_above_limit $pid64 64 env true 1 1"
check_eq "GOMAXPROCS=64: the target is the pod" \
	"$(jsq "$WORK/run64.json" "d.target.split(' ').slice(0, 2).join(' ')")" "pod $UID64"
thr64=$(jsq "$WORK/run64.json" "d.throttled_periods")
per64=$(jsq "$WORK/run64.json" "d.periods")
check "GOMAXPROCS=64: throttled in $thr64 of $per64 periods (want >= 10)" test "$thr64" -ge 10
check "GOMAXPROCS=64: throttled time reported" \
	test "$(jsq "$WORK/run64.json" "d.throttled_seconds > 0")" = true
# The text report, a shorter window on the same process.
"$PODFLAME" doctor --container "containerd://$CID64" -d 2 -q >"$WORK/run64.txt" 2>&1
check "GOMAXPROCS=64: text verdict and fix" \
	bash -c "grep -q '^verdict: gomaxprocs_above_limit' '$WORK/run64.txt' &&
		grep -q 'fix: run it with GOMAXPROCS=1' '$WORK/run64.txt' &&
		grep -q 'resourceFieldRef' '$WORK/run64.txt' &&
		grep -q 'go.uber.org/automaxprocs' '$WORK/run64.txt' &&
		grep -q 'remove the GOMAXPROCS=64' '$WORK/run64.txt'"
# The flame graph's subtitle tells the same story (once SVG output exists).
"$PODFLAME" record --pod "$UID64" -d 2 -q -o "$WORK/run64.svg" 2>"$WORK/svg.err"
if grep -q "not built yet" "$WORK/svg.err"; then
	skip "SVG subtitle carries limit, GOMAXPROCS and throttling" "SVG output not in this build"
else
	check "SVG subtitle carries limit, GOMAXPROCS and throttling" \
		bash -c "grep -q 'limit 1 CPU' '$WORK/run64.svg' && grep -q 'GOMAXPROCS 64 (env)' '$WORK/run64.svg' &&
			grep -q 'throttled in' '$WORK/run64.svg'"
fi
wait "$pid64"

# --- GOMAXPROCS=1 ----------------------------------------------------------
pod_dirs "$UID1" "$CID1"
# shellcheck disable=SC2086
start_churn 1 $((D + 4)) $DIRS
pid1=$REPLY
sleep 1
"$PODFLAME" doctor --container "$CID1" -F $F -d $D --json -q -o "$WORK/run1.folded" >"$WORK/run1.json" 2>"$WORK/run1.err"
rc=$?
check "GOMAXPROCS=1: doctor exits 0 (healthy)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$WORK/run1.err" "$WORK/run1.json" >&2
check_eq "GOMAXPROCS=1: verdict ok, GOMAXPROCS 1 = recommendation" \
	"$(jsq "$WORK/run1.json" "[d.verdict, d.pid, d.gomaxprocs, d.cpu_limit, d.recommended_gomaxprocs].join(' ')")" \
	"ok $pid1 1 1 1"
thr1=$(jsq "$WORK/run1.json" "d.throttled_periods")
# Requests arrive in waves at 4x the mean rate, so even the right-sized
# service meets its quota in an odd period (0-4 of ~100 measured); the
# oversized one is throttled in 42-108.
check "GOMAXPROCS=1: throttled in $thr1 periods (want <= 5, against >= 10 at 64)" test "$thr1" -le 5
wait "$pid1"

# --- the comparison --------------------------------------------------------
# CPU per request over each whole run (churn's own rusage), and over the
# doctor's window (cgroup CPU time, same window length and offered load).
read -r ops64 ms64 < <(sed -E 's/.*ops=([0-9]+).*cpu_ms=([0-9]+).*/\1 \2/' "$WORK/churn-64.out")
read -r ops1 ms1 < <(sed -E 's/.*ops=([0-9]+).*cpu_ms=([0-9]+).*/\1 \2/' "$WORK/churn-1.out")
ratio=$(awk -v a="$ms64" -v b="$ops64" -v c="$ms1" -v d="$ops1" 'BEGIN { printf "%.2f", (a / b) / (c / d) }')
check "CPU per request: ${ratio}x at GOMAXPROCS=64 ($ms64 ms / $ops64) vs 1 ($ms1 ms / $ops1) (want >= 1.5)" \
	awk -v r="$ratio" 'BEGIN { exit !(r >= 1.5) }'
cpu64=$(jsq "$WORK/run64.json" "d.cpu_seconds.toFixed(2)")
cpu1=$(jsq "$WORK/run1.json" "d.cpu_seconds.toFixed(2)")
check "window CPU: $cpu64 s at 64 vs $cpu1 s at 1 (want >= 1.5x)" \
	awk -v a="$cpu64" -v b="$cpu1" 'BEGIN { exit !(a >= 1.5 * b) }'
# Runtime overhead: the CPU time (samples at the same frequency) in the
# scheduler and GC worker families, and their share of the pod's CPU.
# Measured on this workload at 299 Hz: 46-47% at 64 against 24-26% at 1
# (gaps 20-22 pp); with GOGC=25 instead of 10 the gap was 4 pp, and one
# earlier workload overlapped (much of the 64-P overhead
# is kernel time under futex wakes and preemption signals, outside both
# families, and GOMAXPROCS=1 runs schedule() on every handoff).
fam() { jsq "$1" "((d.shares['runtime.schedule'] + d.shares['runtime.gcBgMarkWorker']) * ${2:-d.shares.samples}).toFixed(${3:-0})"; }
f64=$(fam "$WORK/run64.json")
f1=$(fam "$WORK/run1.json")
s64=$(fam "$WORK/run64.json" 100 1)
s1=$(fam "$WORK/run1.json" 100 1)
check "scheduler+GC samples: $f64 at 64 vs $f1 at 1 (want >= 1.5x)" \
	test $((2 * f64)) -ge $((3 * f1))
check "scheduler+GC share higher at 64: $s64% vs $s1% at 1" \
	awk -v a="$s64" -v b="$s1" 'BEGIN { exit !(a > b) }'
# doctor's shares agree with the folded output it wrote, counted here.
re='(^|;)runtime\.(schedule|findrunnable|findRunnable|stealWork|park_m|runqsteal|runqgrab|gosched[A-Za-z_]*)(_\[[ij]\])?( |;)'
folded=$(share_re "$WORK/run64.folded" "$re")
doc=$(jsq "$WORK/run64.json" "(100 * d.shares['runtime.schedule']).toFixed(2)")
check "runtime.schedule share: doctor $doc% = folded output $folded% (within 1 point)" \
	awk -v a="$doc" -v b="$folded" 'BEGIN { d = a - b; exit !(d <= 1 && d >= -1) }'
finish
