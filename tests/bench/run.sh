#!/usr/bin/env bash
# make bench: runs every tests/bench/bench_*.sh (or those matching $1). Each
# benchmark runs podflame and the tool a user would otherwise pick side by
# side, in the same run, and prints Markdown table rows of ratios; a benchmark
# whose comparison tool is missing says how to get it and skips.
# Results are collected in build/bench/results.md.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
export BUILD PODFLAME=$PWD/$BUILD/podflame BENCH_OUT=$PWD/build/bench
mkdir -p "$BENCH_OUT"
results=$BENCH_OUT/results.md
{
	echo "# podflame benchmarks"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%MZ), $(uname -r), $(nproc) CPUs, $(git rev-parse --short HEAD 2>/dev/null)"
	echo
} >"$results"
status=0
for bench in tests/bench/bench_*.sh; do
	[ -f "$bench" ] || continue
	[ -n "${1:-}" ] && [[ $bench != *$1* ]] && continue
	echo "== $bench"
	if ! bash "$bench" | tee -a "$results"; then
		echo "bench $bench failed" | tee -a "$results"
		status=1
	fi
	echo >>"$results"
done
echo "results: $results"
exit $status
