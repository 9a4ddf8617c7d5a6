#!/usr/bin/env bash
# record's cost, side by side:
#  1. BPF program time per sample, as the kernel counts it
#     (kernel.bpf_stats_enabled: run_time_ns / run_cnt), at 99 and 999 Hz
#     with both CPUs busy; beside it the same figure for a BPF program that
#     does nothing (timer_floor -b), the floor of that accounting here.
#  2. Slowdown of a fixed-work CPU-bound Go program while the host is
#     recorded at 99 Hz: no profiler vs the sampling interrupt alone
#     (timer_floor) vs `podflame record -a` vs `perf record -F 99 -g -a`,
#     runs interleaved, medians of REPS. The workload is pinned to one CPU:
#     unpinned, the Go runtime's threads wander between the two vCPUs and
#     runs take 2.2 s or 3.0 s at random, which buries a 1% effect.
# Needs root; perf (Debian's linux-perf) for the comparison. SLOWDOWN=0:
# the BPF cost only; BPF_ROUNDS windows of it (5).
set -u
cd "$(dirname "$0")/../.." || exit 2
source tests/steal.sh
BUILD=${BUILD:-build}
PODFLAME=${PODFLAME:-$PWD/$BUILD/podflame}
REPS=${REPS:-11}
BPF_ROUNDS=${BPF_ROUNDS:-5}
ITER=${ITER:-8000000}
work=$(mktemp -d /tmp/podflame-bench-record.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

if [ "$(id -u)" -ne 0 ]; then
	echo "bench_record: skipped: needs root (BPF, perf events)"
	exit 0
fi
export GOCACHE=$PWD/build/gocache GO111MODULE=off GOTOOLCHAIN=local
(cd tests/go/fixedwork && go build -o "$work/fixedwork" .) || exit 1
SPIN=$PWD/$BUILD/tests/helpers/spin
FLOOR=$PWD/$BUILD/tests/helpers/timer_floor
CPU=$(($(nproc) - 1)) # the workload's

echo "## record: BPF cost per sample"
echo
echo "Two threads spinning in user mode, 4.5 s a window, $BPF_ROUNDS windows each, podflame's and the"
echo "empty program's interleaved; medians (lower-upper quartile). The empty program is timer_floor -b:"
echo "a BPF program that only returns, on the same events; its figure is what the kernel's accounting"
echo "reads for no work at all on this machine (interrupt entry, cold caches). 'host stole' is the"
echo "share of busy CPU time the VM's host took for other work during the windows (/proc/stat steal):"
echo "when it is high, every figure here is."
echo
echo "| frequency | samples a window | podflame: BPF ns/sample (run_time_ns / run_cnt) | empty program: ns/sample | podflame above the empty program | host stole | target |"
echo "|---|---|---|---|---|---|---|"
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -qw kernel.bpf_stats_enabled=1
# bpf_cost NAME CMD...: "ns cnt" of program NAME while CMD samples spinners
bpf_cost() {
	local name=$1 prof spin stats
	shift
	"$SPIN" -t 2 -s 6 >/dev/null &
	spin=$!
	"$@" >/dev/null 2>&1 &
	prof=$!
	sleep 4.5
	stats=$(bpftool prog show name "$name" 2>/dev/null | grep -o 'run_time_ns [0-9]* run_cnt [0-9]*')
	kill -TERM $prof 2>/dev/null
	wait $prof $spin
	echo "$stats" | awk '{ if ($4 > 0) printf "%.0f %d\n", $2 / $4, $4; else print "n/a 0" }'
}
quartiles() { sort -n | awk '{ a[NR] = $1 } END { if (!NR) { print "n/a"; exit } printf "%d (%d-%d)", a[int((NR + 1) / 2)], a[int((NR + 3) / 4)], a[int((3 * NR + 3) / 4)] }'; }
for hz in 99 999; do
	: >"$work/pf.ns"; : >"$work/empty.ns"; : >"$work/cnt"
	ticks0=$(busy_steal_ticks)
	for ((r = 0; r < BPF_ROUNDS; r++)); do
		read -r ns cnt < <(bpf_cost do_sample "$PODFLAME" record -a -F $hz -d 600 -q -o "$work/b.folded")
		[ "$ns" != n/a ] && echo "$ns" >>"$work/pf.ns" && echo "$cnt" >>"$work/cnt"
		read -r ns _ < <(bpf_cost pf_empty "$FLOOR" -F $hz -b)
		[ "$ns" != n/a ] && echo "$ns" >>"$work/empty.ns"
	done
	pf=$(quartiles <"$work/pf.ns")
	floor=$(quartiles <"$work/empty.ns")
	above=$(awk -v a="${pf%% *}" -v b="${floor%% *}" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%+.0f", a - b; else print "n/a" }')
	stole=$(steal_pct "$ticks0" "$(busy_steal_ticks)")%
	echo "| $hz Hz | $(sort -n "$work/cnt" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] + 0 }') | $pf | $floor | $above | $stole | <= 2000 |"
done
sysctl -qw kernel.bpf_stats_enabled="$old_stats"
echo

if [ "${SLOWDOWN:-1}" = 0 ]; then
	exit 0
fi
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

run_plain() { GOMAXPROCS=1 taskset -c "$CPU" "$work/fixedwork" -n "$ITER" | awk '{ print $1 }'; }
run_under() { # CMD...: runs the workload while CMD records the host
	"$@" >/dev/null 2>&1 &
	local prof=$! t
	sleep 3 # past start-up (BPF load, first snapshots): steady state only
	t=$(run_plain)
	kill -TERM $prof 2>/dev/null # (SIGINT is ignored by background jobs)
	wait $prof 2>/dev/null
	echo "$t"
}

have_perf=0
if command -v perf >/dev/null && perf record -F 99 -g -a -o "$work/probe.data" -- true >/dev/null 2>&1; then
	have_perf=1
fi
: >"$work/base"
: >"$work/floor"
: >"$work/podflame"
: >"$work/perf"
for ((i = 0; i < REPS; i++)); do
	run_plain >>"$work/base"
	run_under "$FLOOR" -F 99 >>"$work/floor"
	run_under "$PODFLAME" record -a -F 99 -d 600 -q -o "$work/r.folded" >>"$work/podflame"
	[ $have_perf -eq 1 ] && run_under perf record -F 99 -g -a -o "$work/perf.data" >>"$work/perf"
done
base=$(median <"$work/base")
pf=$(median <"$work/podflame")
fl=$(median <"$work/floor")
pct() { awk -v t="$1" -v b="$base" 'BEGIN { printf "%+.2f%%", 100 * (t - b) / b }'; }
echo "## record: slowdown of a fixed-work Go program (GOMAXPROCS=1, pinned to CPU $CPU) while the host is recorded at 99 Hz"
echo
echo "Medians of $REPS interleaved runs; no profiler: ${base} s. Spread of the runs without a"
echo "profiler (lower to upper quartile): $(sort -n "$work/base" | awk '{ a[NR] = $1 } END { q1 = a[int((NR + 3) / 4)]; q3 = a[int((3 * NR + 3) / 4)]; printf "%.2f%%", 100 * (q3 - q1) / q1 }'),"
echo "the resolution of this table."
echo
echo "| profiler | median s | slowdown | target |"
echo "|---|---|---|---|"
echo "| the sampling interrupt alone (timer_floor -F 99, no BPF, no buffer) | $fl | $(pct "$fl") | |"
echo "| podflame record -a -F 99 | $pf | $(pct "$pf") | < 1%, below perf's |"
if [ $have_perf -eq 1 ]; then
	pe=$(median <"$work/perf")
	echo "| perf record -F 99 -g -a | $pe | $(pct "$pe") | |"
	awk -v a="$pf" -v b="$pe" -v base="$base" 'BEGIN { printf "\npodflame overhead / perf overhead: %.2f\n", (b - base) != 0 ? (a - base) / (b - base) : 0 }'
else
	echo "| perf record -F 99 -g -a | skipped: install linux-perf (apt-get install linux-perf) | | |"
fi
echo
