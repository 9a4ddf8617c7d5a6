#!/usr/bin/env bash
# ci-compare.sh: profile the same benchmark on two builds and compare them.
#
#   scripts/ci-compare.sh --base 'CMD' --head 'CMD' [options] [-- DIFF-OPTIONS...]
#
# Each command (run with bash -c) runs in a fresh cgroup v2 while
# `podflame record --cgroup` samples exactly that cgroup, from before the
# command starts until it exits, so everything the benchmark runs, child
# processes included, is in the profile and nothing else is. With --runs N
# the builds alternate (base, head, base, head...) so a machine that slows
# down during the job slows both; each side's runs are merged. Then
# `podflame diff` compares them: the text goes to stdout, Markdown (for a PR
# comment) to OUT/diff.md, JSON to OUT/diff.json; everything after `--` is
# passed to diff (--fail-if gates, --strict, --confidence...).
#
# options:
#   --base CMD      the benchmark built from the base commit
#   --head CMD      the benchmark built from the head commit
#   --out DIR       where profiles and reports go (default: podflame-ci)
#   -F HZ           sampling frequency (default 499: CI runs are short)
#   --runs N        runs per side, alternating (default 1)
#   --timeout SEC   longest a single run may take (default 1800)
#
# Writes OUT/base.folded, OUT/head.folded (all runs merged), OUT/base.pb.gz,
# OUT/head.pb.gz (the last run of each, for `go tool pprof`), OUT/diff.md,
# OUT/diff.json, OUT/diff.txt.
# Exit status: diff's (0 no gate tripped, 1 a gate tripped, 2 usage), or 1
# when a benchmark or a recording fails. Needs root (BPF, cgroups).
set -euo pipefail

PODFLAME=${PODFLAME:-}
if [ -z "$PODFLAME" ]; then
	if command -v podflame >/dev/null 2>&1; then
		PODFLAME=podflame
	else
		PODFLAME=$(cd "$(dirname "$0")/.." && pwd)/build/podflame
	fi
fi

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() { echo "ci-compare: $*" >&2; exit 1; }
usage_error() { echo "ci-compare: $* (see --help)" >&2; exit 2; }

base_cmd='' head_cmd='' out=podflame-ci freq=499 runs=1 timeout=1800
while [ $# -gt 0 ]; do
	case $1 in
	--base) base_cmd=${2:?}; shift 2 ;;
	--head) head_cmd=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	-F) freq=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	*) usage_error "unknown option '$1'" ;;
	esac
done
if [ -z "$base_cmd" ] || [ -z "$head_cmd" ]; then usage_error "give --base CMD and --head CMD"; fi
[[ $runs =~ ^[1-9][0-9]*$ ]] || usage_error "--runs $runs: give a count >= 1"
[[ $freq =~ ^[1-9][0-9]*$ ]] || usage_error "-F $freq: give a frequency in Hz"
[[ $timeout =~ ^[1-9][0-9]*$ ]] || usage_error "--timeout $timeout: give seconds"
[ "$(id -u)" -eq 0 ] || die "needs root (BPF and cgroups): run it with sudo"
[ -x "$PODFLAME" ] || command -v "$PODFLAME" >/dev/null 2>&1 ||
	die "podflame not found: build it (make) or set PODFLAME=/path/to/podflame"
cgroot=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$cgroot" ] || die "no cgroup v2 mount in /proc/self/mountinfo (podflame records a cgroup)"

# A typo in a gate should cost seconds, not two benchmark runs: let diff
# check its options on two empty profiles first.
rc=0 check_err=$(mktemp)
"$PODFLAME" diff /dev/null /dev/null "$@" >/dev/null 2>"$check_err" || rc=$?
[ "$rc" -ne 2 ] || grep -v 'no samples\|no frame matches' "$check_err" >&2
rm -f "$check_err"
[ "$rc" -ne 2 ] || exit 2

mkdir -p "$out"
cg="$cgroot/podflame-ci-$$"
rec_pid=
kill_cgroup_procs() {
	local p
	while read -r p; do kill -9 "$p" 2>/dev/null || true; done <"$cg/cgroup.procs" 2>/dev/null || true
}
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	[ -n "$rec_pid" ] && kill -INT "$rec_pid" 2>/dev/null && wait "$rec_pid" 2>/dev/null
	if [ -d "$cg" ]; then
		kill_cgroup_procs
		sleep 0.2
		rmdir "$cg" 2>/dev/null || true
	fi
}
trap cleanup EXIT

# run_side NAME CMD RUN: one recorded run into $out/NAME.RUN.{folded,pb.gz}.
run_side() {
	local name=$1 cmd=$2 run=$3 status=0 rec_status=0
	local prefix="$out/$name.$run" log="$out/$name.$run.record.log"
	mkdir "$cg" || die "cannot create cgroup $cg"
	"$PODFLAME" record --cgroup "$cg" -F "$freq" -d "$timeout" --no-comm \
		-o "$prefix.folded" -o "$prefix.pb.gz" 2>"$log" &
	rec_pid=$!
	# The window opens before the benchmark starts.
	for _ in $(seq 200); do
		grep -q sampling "$log" 2>/dev/null && break
		kill -0 "$rec_pid" 2>/dev/null || break
		sleep 0.05
	done
	grep -q sampling "$log" || { cat "$log" >&2; die "$name run $run: podflame record did not start"; }
	echo "ci-compare: $name run $run: $cmd" >&2
	bash -c 'echo $$ > "$1/cgroup.procs" && exec bash -c "$2"' _ "$cg" "$cmd" >&2 || status=$?
	# Whatever the benchmark left running in its cgroup ends with it.
	kill_cgroup_procs
	kill -INT "$rec_pid"
	wait "$rec_pid" || rec_status=$?
	rec_pid=
	rmdir "$cg" 2>/dev/null || sleep 0.5
	rmdir "$cg" 2>/dev/null || true
	[ "$status" -eq 0 ] || die "$name run $run: the benchmark exited $status"
	[ "$rec_status" -eq 0 ] || { cat "$log" >&2; die "$name run $run: podflame record exited $rec_status"; }
	grep -E 'samples from|lost' "$log" | sed "s/^/ci-compare: $name run $run: /" >&2 || true
}

for ((r = 1; r <= runs; r++)); do
	run_side base "$base_cmd" "$r"
	run_side head "$head_cmd" "$r"
done
for side in base head; do
	# Folded text concatenates: podflame merges equal stacks when reading.
	for ((r = 1; r <= runs; r++)); do cat "$out/$side.$r.folded"; done >"$out/$side.folded"
	cp "$out/$side.$runs.pb.gz" "$out/$side.pb.gz"
done

status=0
"$PODFLAME" diff "$out/base.folded" "$out/head.folded" --format markdown -r "$out/diff.md" "$@" \
	2>/dev/null || true
"$PODFLAME" diff "$out/base.folded" "$out/head.folded" --format json -r "$out/diff.json" "$@" \
	2>/dev/null || true
"$PODFLAME" diff "$out/base.folded" "$out/head.folded" -r "$out/diff.txt" "$@" || status=$?
[ ! -f "$out/diff.txt" ] || cat "$out/diff.txt"
echo "ci-compare: wrote $out/diff.md, $out/diff.json, $out/diff.txt, profiles in $out/" >&2
exit "$status"
