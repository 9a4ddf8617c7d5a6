#!/usr/bin/env bash
# record's cost, side by side:
#  1. BPF program time per sample, as the kernel counts it
#     (kernel.bpf_stats_enabled: run_time_ns / run_cnt), at 99 and 999 Hz
#     with both CPUs busy; beside it the same figure for bpftrace's
#     `profile:hz` aggregating the same stacks (the tool a user would
#     otherwise pick: bcc's profile needs kernel headers, absent here), and
#     for a BPF program that does nothing (timer_floor -b), the floor of
#     that accounting here.
#  2. Slowdown of a fixed-work CPU-bound Go program profiled at 99 and
#     4999 Hz in its cgroup: no profiler vs the sampling interrupt alone
#     (timer_floor) vs `podflame record --cgroup` vs `perf record -g -a -G`,
#     interleaved every 100 ms (see below why).
# Needs root; perf (Debian's linux-perf) and bpftrace (Debian's bpftrace)
# for the comparisons, each skipped with a note when missing. SLOWDOWN=0:
# the BPF cost only; BPF_ROUNDS windows of it (5). SLOW_SECONDS: the
# length of each slowdown run (90).
set -u
cd "$(dirname "$0")/../.." || exit 2
source tests/host.sh
BUILD=${BUILD:-build}
PODFLAME=${PODFLAME:-$PWD/$BUILD/podflame}
BPF_ROUNDS=${BPF_ROUNDS:-5}
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
echo "Two threads spinning in user mode, 4.5 s a window, $BPF_ROUNDS windows each, podflame's, bpftrace's"
echo "and the empty program's interleaved; medians (lower-upper quartile). bpftrace runs"
echo "'profile:hz:F { @[ustack, kstack, pid] = count(); }': in-kernel counts by stack ids, the design of"
echo "bcc's and libbpf-tools' profile. The empty program is timer_floor -b:"
echo "a BPF program that only returns, on the same events; its figure is what the kernel's accounting"
echo "reads for no work at all on this machine (interrupt entry, cold caches). 'host stole' is the"
echo "share of busy CPU time the VM's host took for other work during the windows (/proc/stat steal):"
echo "when it is high, every figure here is."
echo
echo "| frequency | samples a window | podflame: BPF ns/sample (run_time_ns / run_cnt) | bpftrace: ns/sample | podflame / bpftrace | empty program: ns/sample | podflame above the empty program | host stole | target |"
echo "|---|---|---|---|---|---|---|---|---|"
have_bpftrace=0
command -v bpftrace >/dev/null && have_bpftrace=1
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
	: >"$work/pf.ns"; : >"$work/bt.ns"; : >"$work/empty.ns"; : >"$work/cnt"
	ticks0=$(busy_steal_ticks)
	for ((r = 0; r < BPF_ROUNDS; r++)); do
		read -r ns cnt < <(bpf_cost do_sample "$PODFLAME" record -a -F $hz -d 600 -q -o "$work/b.folded")
		[ "$ns" != n/a ] && echo "$ns" >>"$work/pf.ns" && echo "$cnt" >>"$work/cnt"
		if [ $have_bpftrace -eq 1 ]; then # its program is named for the probe
			read -r ns _ < <(bpf_cost $hz bpftrace -e "profile:hz:$hz { @[ustack, kstack, pid] = count(); }")
			[ "$ns" != n/a ] && echo "$ns" >>"$work/bt.ns"
		fi
		read -r ns _ < <(bpf_cost pf_empty "$FLOOR" -F $hz -b)
		[ "$ns" != n/a ] && echo "$ns" >>"$work/empty.ns"
	done
	pf=$(quartiles <"$work/pf.ns")
	bt="skipped: apt-get install bpftrace"
	[ $have_bpftrace -eq 1 ] && bt=$(quartiles <"$work/bt.ns")
	vs=$(awk -v a="${pf%% *}" -v b="${bt%% *}" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }')
	floor=$(quartiles <"$work/empty.ns")
	above=$(awk -v a="${pf%% *}" -v b="${floor%% *}" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%+.0f", a - b; else print "n/a" }')
	stole=$(steal_pct "$ticks0" "$(busy_steal_ticks)")%
	echo "| $hz Hz | $(sort -n "$work/cnt" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] + 0 }') | $pf | $bt | $vs | $floor | $above | $stole | <= 2000 |"
done
sysctl -qw kernel.bpf_stats_enabled="$old_stats"
echo

if [ "${SLOWDOWN:-1}" = 0 ]; then
	exit 0
fi

# The slowdown. One fixed-work Go program (GOMAXPROCS=1) pinned to CPU
# $CPU moves itself every INTERVAL through cgroups profiled by nobody, by the
# sampling interrupt alone (timer_floor -G), by podflame record --cgroup and
# by perf record -a -G, all four running throughout, pinned to the other
# CPU. Its speed (iterations per CPU-second: the kernel leaves stolen time
# out of CPU time and, without IRQ time accounting, charges the interrupts
# that hit it) is compared within each cycle of 2 x 4 intervals: run by
# run, the host's load moves it 20% and buries a 1% effect; within 0.8 s it
# moves ~4%, and that averages out over the cycles. The profilers' own CPU
# (their user space) is reported beside it.
CG2=$(cgroup2_root)
if [ -z "$CG2" ]; then
	echo "bench_record: slowdown skipped: no cgroup v2 mount"
	exit 0
fi
INTERVAL=${INTERVAL:-100ms}
SLOW_SECONDS=${SLOW_SECONDS:-90}
PROF_CPU=$(((CPU + 1) % $(nproc)))
have_perf=0
if command -v perf >/dev/null && perf record -F 99 -g -a -o "$work/probe.data" -- true >/dev/null 2>&1; then
	have_perf=1
fi
names=(none "interrupt alone (timer_floor)" "podflame record --cgroup" "perf record -g -a -G")
cgroups=()
for c in none interrupt podflame perf; do
	[ $c = perf ] && [ $have_perf -eq 0 ] && continue
	mkdir -p "$CG2/podflame-bench-$c" || exit 1
	cgroups+=("$CG2/podflame-bench-$c")
done
trap 'kill $(jobs -p) 2>/dev/null; wait; rmdir "${cgroups[@]}" 2>/dev/null; rm -rf "$work"' EXIT
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# slowdown_run HZ: one run; rows "interval cgroup iterations cpu_ns" to
# $work/rows.HZ, the profilers' own CPU (% of one) to $work/own.HZ.
slowdown_run() {
	local hz=$1 pids=() i t0 t1 until
	taskset -c $PROF_CPU "$FLOOR" -F "$hz" -G "${cgroups[1]}" &
	pids+=($!)
	taskset -c $PROF_CPU "$PODFLAME" record --cgroup "${cgroups[2]}" -F "$hz" -d 3600 -q -o "$work/s.folded" >/dev/null 2>&1 &
	pids+=($!)
	if [ $have_perf -eq 1 ]; then
		taskset -c $PROF_CPU perf record -e cpu-clock -F "$hz" -g -a -G "${cgroups[3]#"$CG2"/}" -o "$work/s.data" >/dev/null 2>&1 &
		pids+=($!)
	fi
	sleep 3 # past start-up (BPF load, perf's synthesized mmaps)
	for i in "${!pids[@]}"; do t0[i]=$(cpu_ticks ${pids[i]}); done
	until=$(($(date +%s%N) + SLOW_SECONDS * 1000000000))
	GOMAXPROCS=1 taskset -c $CPU "$work/fixedwork" -interval "$INTERVAL" -until $until \
		-cycle "$(IFS=,; echo "${cgroups[*]}")" >"$work/rows.$hz" || return 1
	: >"$work/own.$hz"
	for i in "${!pids[@]}"; do
		t1=$(cpu_ticks ${pids[i]})
		awk -v t=$((t1 - t0[i])) -v s="$SLOW_SECONDS" -v hz="$(getconf CLK_TCK)" \
			'BEGIN { printf "%.2f%%\n", 100 * t / hz / s }' >>"$work/own.$hz"
	done
	kill -TERM "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	return 0 # (a profiler's status after SIGTERM is not the workload's)
}

# Per cycle (2 x the number of cgroups intervals, each cgroup twice): each
# condition's iterations per CPU-second against no profiler's in the same
# cycle. Prints "condition median low high cycles": the median slowdown in
# percent and its 95% confidence interval (order statistics), first cycle
# left out (warm-up).
slowdown_stats() {
	awk -v n="${#cgroups[@]}" '
		$1 == "#" { next }
		{ cyc = int((NR - 1) / (2 * n)); it[cyc, $2] += $3; ns[cyc, $2] += $4; last = cyc; cnt[cyc]++ }
		END {
			for (c = 1; c < n; c++) {
				m = 0
				for (y = 1; y <= last; y++) {
					if (cnt[y] < 2 * n || !ns[y, 0] || !ns[y, c] || !it[y, 0]) continue
					v[++m] = 100 * (1 - (it[y, c] / ns[y, c]) / (it[y, 0] / ns[y, 0]))
				}
				# insertion sort: a few hundred cycles
				for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
				med = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
				lo = int(m / 2 - 0.98 * sqrt(m)); hi = int(m / 2 + 1 + 0.98 * sqrt(m) + 0.999)
				if (lo < 1) lo = 1; if (hi > m) hi = m
				printf "%d %.2f %.2f %.2f %d\n", c, med, v[lo], v[hi], m
			}
		}' "$1"
}

echo "## record: slowdown of a fixed-work Go program (GOMAXPROCS=1, pinned to CPU $CPU), profiled in its cgroup"
echo
echo "Iterations per CPU-second, each profiler's cgroup against no profiler's in the same 0.8 s cycle"
echo "(the program moves itself through the cgroups every $INTERVAL); median slowdown over the cycles of"
echo "a ${SLOW_SECONDS} s run, with its 95% confidence interval. The profilers run throughout on CPU $PROF_CPU; their own"
echo "CPU use is beside it (over the whole run, while their target was theirs a quarter of the time)."
echo "At 99 Hz each profiler's effect is far inside the run-to-run noise; 4999 Hz makes it large enough"
echo "to tell the profilers apart, and slowdown / rate is then each one's cost per sample in the target."
echo
echo "| frequency | profiler | slowdown: median (95% CI) | per sample, µs of the target's time | cycles | profiler's own CPU, % of one | target |"
echo "|---|---|---|---|---|---|---|"
ratios=
for hz in 99 4999; do
	ticks0=$(busy_steal_ticks)
	slowdown_run $hz || { echo "bench_record: the workload failed"; exit 1; }
	stole=$(steal_pct "$ticks0" "$(busy_steal_ticks)")
	mapfile -t own <"$work/own.$hz"
	while read -r c med lo hi cycles; do
		target=
		[ "$hz" = 99 ] && [ "$c" = 2 ] && target="< 1%, below perf's"
		per=$(awk -v m="$med" -v f=$hz 'BEGIN { printf "%.1f", m / 100 / f * 1e6 }')
		echo "| $hz Hz | ${names[c]} | ${med}% (${lo}% to ${hi}%) | $per | $cycles | ${own[c - 1]} | $target |"
		echo "$med" >>"$work/med.$hz"
	done < <(slowdown_stats "$work/rows.$hz")
	[ $have_perf -eq 0 ] && echo "| $hz Hz | perf record | skipped: install linux-perf (apt-get install linux-perf) | | | | |"
	echo "| $hz Hz | (host stole ${stole}% of busy time during the run) | | | | | |"
	ratios+=" $hz Hz: $(awk 'NR == 2 { pf = $1 } NR == 3 { pe = $1 } END { if (pe > 0) printf "%.2f", pf / pe; else print "n/a" }' "$work/med.$hz")"
done
echo
[ $have_perf -eq 1 ] && echo "podflame's slowdown / perf's (medians):$ratios"
echo
