#!/usr/bin/env bash
# The demo: the seeds' failure on this machine. A Go service (tests/go/churn)
# runs in a cgroup limited to 1 CPU with GOMAXPROCS=64, as on a 64-core host
# without automaxprocs; podflame records it and writes the flame graph.
#   scripts/demo.sh [SECONDS]      (run by `make demo`, as root)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
BUILD=${BUILD:-build}
PODFLAME=$PWD/$BUILD/podflame
out=$PWD/demo
if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root (BPF, perf events and cgroups): sudo make demo" >&2
	exit 1
fi
mkdir -p "$out" "$BUILD/demo"
export GOCACHE=$PWD/build/gocache GO111MODULE=off GOTOOLCHAIN=local
(cd tests/go/churn && go build -o "$PWD/../../../$BUILD/demo/churn" .)

cg2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
cpu1=$(awk '$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == "cpu") { print $5; exit } }' /proc/self/mountinfo)
name=podflame-demo-$$
dir=$cg2/$name
mkdir "$dir"
quota_dir=
# The CPU limit: v2 cpu.max where the cpu controller is on v2, else v1.
if grep -qw cpu "$cg2/cgroup.controllers" 2>/dev/null; then
	echo "+cpu" >"$cg2/cgroup.subtree_control" 2>/dev/null || true
fi
if [ -w "$dir/cpu.max" ]; then
	echo "100000 100000" >"$dir/cpu.max"
elif [ -n "$cpu1" ]; then
	quota_dir=$cpu1/$name
	mkdir "$quota_dir"
	echo 100000 >"$quota_dir/cpu.cfs_period_us"
	echo 100000 >"$quota_dir/cpu.cfs_quota_us"
fi
cleanup() {
	kill "$app" 2>/dev/null || true
	wait "$app" 2>/dev/null || true
	rmdir "$dir" 2>/dev/null || true
	[ -z "$quota_dir" ] || rmdir "$quota_dir" 2>/dev/null || true
}
trap cleanup EXIT

echo "demo: starting churn (GOMAXPROCS=64) in $dir, limited to 1 CPU"
GOMAXPROCS=64 bash -c 'echo $$ >"$1/cgroup.procs"; [ -z "$2" ] || echo $$ >"$2/cgroup.procs"; exec "$3" -s "$4"' \
	_ "$dir" "$quota_dir" "$PWD/$BUILD/demo/churn" $((2 * seconds + 8)) >/dev/null &
app=$!
sleep 1
"$PODFLAME" record --cgroup "$dir" -F 99 -d "$seconds" -o "$out/podflame-demo.folded" \
	-o "$out/podflame-demo.svg"

total=$(awk '{ s += $NF } END { print s + 0 }' "$out/podflame-demo.folded")
share() { awk -v re="$1" -v t="$total" '{ c = $NF; $NF = ""; if ($0 ~ re) s += c } END { printf "%.1f%%", t ? 100 * s / t : 0 }' "$out/podflame-demo.folded"; }
echo
echo "demo: $total samples; inclusive shares of the Go runtime families:"
echo "  runtime.schedule family:       $(share 'runtime\.(schedule|findrunnable|findRunnable|stealWork|park_m|gosched)')"
echo "  runtime.gcBgMarkWorker family: $(share 'runtime\.(gcBgMarkWorker|gcDrain)')"
echo "  GC assist:                     $(share 'runtime\.gcAssistAlloc')"
echo "demo: wrote $out/podflame-demo.folded and $out/podflame-demo.svg (open it in a browser)"

# The diagnosis of the same service: verdict, evidence and the fix.
echo
echo "demo: podflame doctor --cgroup $dir -d $seconds"
status=0
"$PODFLAME" doctor --cgroup "$dir" -d "$seconds" -q || status=$?
echo "demo: doctor exited $status (3: a misconfiguration found)"
