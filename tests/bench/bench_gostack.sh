#!/usr/bin/env bash
# Complete Go stacks, side by side on one process: tests/go/leafy spins in
# the frameless leaf main.burnLeaf called from main.burnMiddle (and copies,
# allocates, ping-pongs). Recorded for SECS each, one after the other, by
#   podflame record (callers recovered), podflame --frame-pointers-only (the
#   bare chain), bpftrace's profile (in-kernel counts by stack ids, as
#   bcc's profile), perf record -g (the chain as perf takes it).
# Reported: how many of burnLeaf's samples show burnMiddle as its caller;
# in-kernel keys and BPF ns/sample with and without the recovery, and
# bpftrace's ns/sample on the same process, the window after.
# Needs root; perf (Debian's linux-perf) and bpftrace (Debian's bpftrace)
# for their rows.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
PODFLAME=${PODFLAME:-$PWD/$BUILD/podflame}
SECS=${SECS:-10}
HZ=${HZ:-499}
work=$(mktemp -d /tmp/podflame-bench-gostack.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

if [ "$(id -u)" -ne 0 ]; then
	echo "bench_gostack: skipped: needs root (BPF, perf events)"
	exit 0
fi
export GOCACHE=$PWD/build/gocache GO111MODULE=off GOTOOLCHAIN=local
(cd tests/go/leafy && go build -o "$work/leafy" .) || exit 1

GOMAXPROCS=4 "$work/leafy" -s $((4 * SECS + 10)) >/dev/null 2>&1 &
pid=$!
sleep 1
old_stats=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -qw kernel.bpf_stats_enabled=1

# leaf_rate FOLDED: "with of all": burnLeaf samples whose caller is burnMiddle.
leaf_rate() {
	awk '{ n = $NF; sub(/ [0-9]+$/, "") }
	     /main\.burnLeaf(;|$)/ { all += n; if (/main\.burnMiddle;main\.burnLeaf/) with += n }
	     END { printf "%d %d", with, all }' "$1"
}

# ns_per_sample PROG: run_time_ns / run_cnt of the loaded BPF program PROG, or n/a.
ns_per_sample() {
	bpftool prog show name "$1" 2>/dev/null | grep -o 'run_time_ns [0-9]* run_cnt [0-9]*' |
		awk '{ if ($4 > 0) printf "%.0f", $2 / $4; else printf "n/a" } END { if (!NR) printf "n/a" }'
}

# record_podflame NAME [OPTIONS]: "keys ns_per_sample" for one window.
record_podflame() {
	local name=$1 ns
	shift
	"$PODFLAME" record --pid "$pid" -F "$HZ" -d "$SECS" "$@" -o "$work/$name.folded" 2>"$work/$name.err" &
	local rec=$!
	sleep $((SECS - 1))
	ns=$(ns_per_sample do_sample)
	wait $rec
	echo "$(sed -n 's/.*from \([0-9]*\) in-kernel keys.*/\1/p' "$work/$name.err") $ns"
}

read -r keys_on ns_on <<<"$(record_podflame recovered)"
read -r keys_off ns_off <<<"$(record_podflame bare --frame-pointers-only)"
ns_bt="skipped: apt-get install bpftrace"
if command -v bpftrace >/dev/null; then
	# its program is named for the probe
	timeout -s INT "$SECS" bpftrace -e "profile:hz:$HZ /pid == $pid/ { @[ustack, kstack] = count(); }" \
		>/dev/null 2>&1 &
	bt=$!
	sleep $((SECS - 1))
	ns_bt=$(ns_per_sample "$HZ")
	wait $bt
fi
sysctl -qw kernel.bpf_stats_enabled="$old_stats"
read -r on_with on_all <<<"$(leaf_rate "$work/recovered.folded")"
read -r off_with off_all <<<"$(leaf_rate "$work/bare.folded")"
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", b ? 100 * a / b : 0 }'; }

echo "## Go stacks: burnLeaf's caller present, ${SECS} s at ${HZ} Hz each, one process (GOMAXPROCS=4)"
echo
echo "| profiler | burnLeaf samples with burnMiddle as caller | in-kernel keys | BPF ns/sample |"
echo "|---|---|---|---|"
echo "| podflame record | $on_with of $on_all ($(pct "$on_with" "$on_all")) | $keys_on | $ns_on |"
echo "| podflame record --frame-pointers-only | $off_with of $off_all ($(pct "$off_with" "$off_all")) | $keys_off | $ns_off |"
echo "| bpftrace profile:hz:$HZ, ustack and kstack counts | (a frame-pointer walk, as perf's) | | $ns_bt |"
if command -v perf >/dev/null && perf record -F 99 -g -a -o "$work/probe.data" -- true >/dev/null 2>&1; then
	perf record -q -F "$HZ" -g -p "$pid" -o "$work/perf.data" -- sleep "$SECS" >/dev/null 2>&1
	# perf script's stacks, leaf first, folded root first.
	perf script -i "$work/perf.data" -F ip,sym 2>/dev/null | awk '
		/^$/ { if (n) { s = f[n]; for (i = n - 1; i >= 1; i--) s = s ";" f[i]; c[s]++ } n = 0; next }
		{ f[++n] = $2 }
		END { if (n) { s = f[n]; for (i = n - 1; i >= 1; i--) s = s ";" f[i]; c[s]++ }
		      for (s in c) print s, c[s] }' >"$work/perf.folded"
	read -r pe_with pe_all <<<"$(leaf_rate "$work/perf.folded")"
	echo "| perf record -g | $pe_with of $pe_all ($(pct "$pe_with" "$pe_all")) | | |"
else
	echo "| perf record -g | skipped: install linux-perf (apt-get install linux-perf) | | |"
fi
echo
