#!/usr/bin/env bash
# record's cost, side by side:
#  1. BPF program time per sample, as the kernel counts it
#     (kernel.bpf_stats_enabled: run_time_ns / run_cnt), at 99 and 999 Hz
#     with both CPUs busy; beside it the same figure for bpftrace's
#     `profile:hz` aggregating the same stacks (the tool a user would
#     otherwise pick: bcc's profile needs kernel headers, absent here), and
#     for a BPF program that does nothing (timer_floor -b), the floor of
#     that accounting here.
#  2. The timer interrupt's work per sample, podflame and perf at the
#     same moments (bpftrace on the hrtimer tracepoints).
#  3. Slowdown of a fixed-work CPU-bound Go program profiled at 99 and
#     4999 Hz in its cgroup: no profiler vs the sampling interrupt alone
#     (timer_floor) vs `podflame record --cgroup` vs `perf record -g -a -G`,
#     interleaved every 100 ms (see below why).
# Needs root; perf (Debian's linux-perf) and bpftrace (Debian's bpftrace)
# for the comparisons, each skipped with a note when missing. SLOWDOWN=0
# leaves out part 3. BPF_ROUNDS: windows of part 1 (5); IRQ_ROUNDS and
# IRQ_SECONDS: of part 2 (3 of 5 s); SLOW_SECONDS: the length of each
# slowdown run (90), SLOW_HZ its frequencies ("99 4999").
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

# The whole timer interrupt's work for one sample, podflame against perf
# at the same moments: the perf hrtimer callback (perf_swevent_hrtimer:
# the overflow path, and in it podflame's BPF program, or perf's stack
# walk and ring-buffer write), timed by bpftrace on the hrtimer
# tracepoints while the sampling interrupt alone (timer_floor, 101 Hz),
# podflame -a (99 Hz) and perf record -g -a (97 Hz; no two in step) sample
# two spinners. Each callback is told apart by its event: a BPF program
# is podflame's, a ring buffer perf's, neither timer_floor's.
if [ $have_bpftrace -eq 1 ] && command -v perf >/dev/null; then
	IRQ_SECONDS=${IRQ_SECONDS:-5}
	IRQ_ROUNDS=${IRQ_ROUNDS:-3}
	[ -e /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	hrtimer_fn=$(awk '$3 == "perf_swevent_hrtimer" { print "0x" $1; exit }' /proc/kallsyms)
	hw_offset=$(bpftool btf dump file /sys/kernel/btf/vmlinux 2>/dev/null | awk '
		/STRUCT .perf_event. size/ { f = 1; next } f && /^\[/ { exit }
		f && $1 == "'"'"'hw'"'"'" { sub(/bits_offset=/, "", $3); print $3 / 8 }')
	: >"$work/irq"
	for ((r = 0; r < IRQ_ROUNDS; r++)); do
		"$SPIN" -t 2 -s $((IRQ_SECONDS + 4)) >/dev/null &
		spin=$!
		"$FLOOR" -F 101 &
		fl=$!
		"$PODFLAME" record -a -F 99 -d 600 -q -o "$work/i.folded" >/dev/null 2>&1 &
		pf=$!
		perf record -F 97 -g -a -o "$work/i.data" >/dev/null 2>&1 &
		pe=$!
		sleep 2
		timeout -s INT "$IRQ_SECONDS" bpftrace -e "
			tracepoint:timer:hrtimer_expire_entry /(uint64)args->function == $hrtimer_fn/ {
				\$event = (struct perf_event *)((uint64)args->hrtimer - $hw_offset);
				@start[cpu] = nsecs;
				@kind[cpu] = \$event->prog != 0 ? 2 : (\$event->rb != 0 ? 3 : 1);
			}
			tracepoint:timer:hrtimer_expire_exit /@start[cpu]/ {
				printf(\"%d %d\\n\", @kind[cpu], nsecs - @start[cpu]);
				delete(@start[cpu]);
			}" 2>/dev/null | grep -E '^[123] [0-9]+$' >>"$work/irq"
		kill -TERM $fl $pf $pe 2>/dev/null
		wait $fl $pf $pe $spin 2>/dev/null
	done
	irq_of() { awk -v k="$1" '$1 == k { print $2 }' "$work/irq" | quartiles; }
	fl=$(irq_of 1); pf=$(irq_of 2); pe=$(irq_of 3)
	echo "## record: the timer interrupt's work per sample, podflame and perf at the same moments (~99 Hz)"
	echo
	echo "The perf hrtimer callback (the overflow path; in it podflame's BPF program, or perf's stack walk and"
	echo "ring-buffer write) timed on the hrtimer tracepoints, ns, while the interrupt alone (timer_floor, 101 Hz),"
	echo "podflame record -a (99 Hz) and perf record -g -a (97 Hz) sample two spinners together; $IRQ_ROUNDS windows of"
	echo "${IRQ_SECONDS} s, medians (lower-upper quartile) of all callbacks. This is the target's share of a sample's"
	echo "cost that a slowdown run at 99 Hz cannot resolve."
	echo
	echo "| | callbacks | ns: median (quartiles) | above the interrupt alone |"
	echo "|---|---|---|---|"
	for row in "interrupt alone (timer_floor):1:$fl" "podflame record -a:2:$pf" "perf record -g -a:3:$pe"; do
		IFS=: read -r label k q <<<"$row"
		above=$(awk -v a="${q%% *}" -v b="${fl%% *}" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%+d", a - b; else print "n/a" }')
		echo "| $label | $(awk -v k="$k" '$1 == k' "$work/irq" | wc -l) | $q | $above |"
	done
	awk -v f="${fl%% *}" -v a="${pf%% *}" -v b="${pe%% *}" 'BEGIN { if (b > 0 && b > f) printf "\npodflame / perf: %.2f per sample, %.2f above the interrupt alone\n", a / b, (a - f) / (b - f) }'
	echo
else
	echo "(the timer interrupt's work per sample, podflame against perf: skipped: needs bpftrace and perf)"
	echo
fi

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
	for i in "${!pids[@]}"; do t0[i]=$(cpu_ticks "${pids[i]}"); done
	until=$(($(date +%s%N) + SLOW_SECONDS * 1000000000))
	GOMAXPROCS=1 taskset -c $CPU "$work/fixedwork" -interval "$INTERVAL" -until $until \
		-cycle "$(IFS=,; echo "${cgroups[*]}")" >"$work/rows.$hz" || return 1
	: >"$work/own.$hz"
	for i in "${!pids[@]}"; do
		t1=$(cpu_ticks "${pids[i]}")
		awk -v t=$((t1 - t0[i])) -v s="$SLOW_SECONDS" -v hz="$(getconf CLK_TCK)" \
			'BEGIN { printf "%.2f%%\n", 100 * t / hz / s }' >>"$work/own.$hz"
	done
	kill -TERM "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	return 0 # (a profiler's status after SIGTERM is not the workload's)
}

# Per cycle (2 x the number of cgroups intervals, each cgroup twice): each
# condition's iterations per CPU-second against another's in the same
# cycle. Prints "condition median low high cycles" for each profiler
# against no profiler, then "perf-vs-podflame ..." (how much faster the
# target ran under podflame than under perf): medians in percent with a 95%
# confidence interval (order statistics), the first cycle left out
# (warm-up).
slowdown_stats() {
	awk -v n="${#cgroups[@]}" '
		function report(label, base, c,    v, m, y, i, j, x, med, lo, hi) {
			m = 0
			for (y = 1; y <= last; y++) {
				if (cnt[y] < 2 * n || !ns[y, base] || !ns[y, c] || !it[y, base]) continue
				v[++m] = 100 * (1 - (it[y, c] / ns[y, c]) / (it[y, base] / ns[y, base]))
			}
			if (!m) return
			# insertion sort: a few hundred cycles
			for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
			med = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
			lo = int(m / 2 - 0.98 * sqrt(m)); hi = int(m / 2 + 1 + 0.98 * sqrt(m) + 0.999)
			if (lo < 1) lo = 1; if (hi > m) hi = m
			printf "%s %.2f %.2f %.2f %d\n", label, med, v[lo], v[hi], m
		}
		$1 == "#" { next }
		{ cyc = int((NR - 1) / (2 * n)); it[cyc, $2] += $3; ns[cyc, $2] += $4; last = cyc; cnt[cyc]++ }
		END {
			for (c = 1; c < n; c++) report(c, 0, c)
			if (n == 4) report("perf-vs-podflame", 2, 3)
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
for hz in ${SLOW_HZ:-99 4999}; do
	ticks0=$(busy_steal_ticks)
	slowdown_run "$hz" || { echo "bench_record: the workload failed"; exit 1; }
	stole=$(steal_pct "$ticks0" "$(busy_steal_ticks)")
	mapfile -t own <"$work/own.$hz"
	while read -r c med lo hi cycles; do
		if [ "$c" = perf-vs-podflame ]; then
			echo "| $hz Hz | podflame against perf, paired in each cycle: the target ran faster under podflame by | ${med}% (${lo}% to ${hi}%) | | $cycles | | |"
			continue
		fi
		target=
		[ "$hz" = 99 ] && [ "$c" = 2 ] && target="< 1%, below perf's"
		per=$(awk -v m="$med" -v f="$hz" 'BEGIN { printf "%.1f", m / 100 / f * 1e6 }')
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
