#!/usr/bin/env bash
# record's cost, side by side:
#  1. BPF program time per sample, as the kernel counts it
#     (kernel.bpf_stats_enabled: run_time_ns / run_cnt), at 99 and 999 Hz
#     with both CPUs busy.
#  2. Slowdown of a fixed-work CPU-bound Go program while the host is
#     recorded at 99 Hz: no profiler vs `podflame record -a` vs
#     `perf record -F 99 -g -a`, runs interleaved, medians of REPS.
# Needs root; perf (Debian's linux-perf) for the comparison.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
PODFLAME=${PODFLAME:-$PWD/$BUILD/podflame}
REPS=${REPS:-7}
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

echo "## record: BPF cost per sample"
echo
echo "| frequency | samples | BPF ns/sample (kernel's run_time_ns / run_cnt) | target |"
echo "|---|---|---|---|"
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -qw kernel.bpf_stats_enabled=1
for hz in 99 999; do
	"$SPIN" -t 2 -s 6 >/dev/null &
	spin=$!
	"$PODFLAME" record -a -F $hz -d 5 -q -o "$work/b.folded" &
	rec=$!
	sleep 4.5
	stats=$(bpftool prog show name do_sample 2>/dev/null | grep -o 'run_time_ns [0-9]* run_cnt [0-9]*')
	wait $rec $spin
	ns=$(echo "$stats" | awk '{ if ($4 > 0) printf "%.0f", $2 / $4; else print "n/a" }')
	cnt=$(echo "$stats" | awk '{ print $4 }')
	echo "| $hz Hz | ${cnt:-0} | $ns | <= 2000 |"
done
sysctl -qw kernel.bpf_stats_enabled="$old_stats"
echo

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

run_plain() { GOMAXPROCS=1 "$work/fixedwork" -n "$ITER" | awk '{ print $1 }'; }
run_under() { # CMD...: runs the workload while CMD records the host
	"$@" >/dev/null 2>&1 &
	local prof=$! t
	sleep 3 # past start-up (BPF load, first snapshots): steady state only
	t=$(run_plain)
	kill -INT $prof 2>/dev/null
	wait $prof 2>/dev/null
	echo "$t"
}

have_perf=0
if command -v perf >/dev/null && perf record -F 99 -g -a -o "$work/probe.data" -- true >/dev/null 2>&1; then
	have_perf=1
fi
: >"$work/base"
: >"$work/podflame"
: >"$work/perf"
for ((i = 0; i < REPS; i++)); do
	run_plain >>"$work/base"
	run_under "$PODFLAME" record -a -F 99 -d 600 -q -o "$work/r.folded" >>"$work/podflame"
	[ $have_perf -eq 1 ] && run_under perf record -F 99 -g -a -o "$work/perf.data" >>"$work/perf"
done
base=$(median <"$work/base")
pf=$(median <"$work/podflame")
pct() { awk -v t="$1" -v b="$base" 'BEGIN { printf "%+.2f%%", 100 * (t - b) / b }'; }
echo "## record: slowdown of a fixed-work Go program (GOMAXPROCS=1) while the host is recorded at 99 Hz"
echo
echo "Medians of $REPS interleaved runs; no profiler: ${base} s."
echo
echo "| profiler | median s | slowdown | target |"
echo "|---|---|---|---|"
echo "| podflame record -a -F 99 | $pf | $(pct "$pf") | < 1%, below perf's |"
if [ $have_perf -eq 1 ]; then
	pe=$(median <"$work/perf")
	echo "| perf record -F 99 -g -a | $pe | $(pct "$pe") | |"
	awk -v a="$pf" -v b="$pe" -v base="$base" 'BEGIN { printf "\npodflame overhead / perf overhead: %.2f\n", (b - base) != 0 ? (a - base) / (b - base) : 0 }'
else
	echo "| perf record -F 99 -g -a | skipped: install linux-perf (apt-get install linux-perf) | | |"
fi
echo
