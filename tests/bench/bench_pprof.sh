#!/usr/bin/env bash
# pprof export/import and profile comparison, side by side with `go tool
# pprof` (Debian's Go), on a large synthetic profile: STACKS distinct
# stacks (default 100000) of 8-40 frames over a few thousand function
# names, generated deterministically.
#   1. read a pprof and print the top functions:
#        podflame report   vs  go tool pprof -top
#   2. compare two profiles:
#        podflame diff     vs  go tool pprof -top -diff_base
#   3. pprof -> stacks as text:
#        podflame convert  vs  go tool pprof -traces
#   4. size of the pprof: podflame's vs the same profile re-encoded by
#      pprof (-proto)
# Times are medians of REPS runs (default 3), wall clock.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
PODFLAME=${PODFLAME:-$PWD/$BUILD/podflame}
REPS=${REPS:-3}
STACKS=${STACKS:-50000}
work=$(mktemp -d /tmp/podflame-bench-pprof.XXXXXX)
trap 'rm -rf "$work"' EXIT

if ! command -v go >/dev/null 2>&1; then
	echo "bench_pprof: skipped: needs go (apt-get install golang-go) for go tool pprof"
	exit 0
fi
export GOCACHE=$PWD/build/gocache GO111MODULE=off GOTOOLCHAIN=local

# gen SEED: STACKS folded lines; the same seed gives the same profile.
gen() {
	awk -v n="$STACKS" -v seed="$1" 'BEGIN {
		srand(seed)
		for (i = 0; i < n; i++) {
			depth = 8 + int(rand() * 33)
			line = "app;runtime.goexit"
			for (d = 0; d < depth; d++)
				line = line sprintf(";pkg%d.(*T%d).Method%d", int(rand() * 40), int(rand() * 10), int(rand() * 12))
			if (rand() < 0.1)
				line = line ";runtime.schedule;runtime.findRunnable;futex_[k]"
			printf "%s %d\n", line, 1 + int(rand() * 50)
		}
	}'
}
gen 1 >"$work/a.folded"
gen 2 >"$work/b.folded"
"$PODFLAME" convert "$work/a.folded" "$work/a.pb.gz" || exit 1
"$PODFLAME" convert "$work/b.folded" "$work/b.pb.gz" || exit 1

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# time_ms CMD...: median wall time in ms over REPS runs (output discarded).
time_ms() {
	local i s e
	for ((i = 0; i < REPS; i++)); do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		echo $(((e - s) / 1000000))
	done | median
}
row() { # TASK OURS_CMD THEIRS_NAME THEIRS_CMD
	local ours theirs
	ours=$(time_ms bash -c "$2")
	theirs=$(time_ms bash -c "$4")
	awk -v t="$1" -v o="$ours" -v n="$3" -v g="$theirs" \
		'BEGIN { printf "| %s | %d ms | %s: %d ms | %.1fx |\n", t, o, n, g, (o > 0 ? g / o : 0) }'
}

lines=$(wc -l <"$work/a.folded")
frames=$(awk -F';' '{ s += NF } END { print s }' "$work/a.folded")
echo "## pprof: $lines stacks, $frames frames, $(stat -c %s "$work/a.pb.gz") bytes as pprof"
echo
echo "| task | podflame | go tool pprof | pprof / podflame |"
echo "|---|---|---|---|"
row "read pprof, top functions" "'$PODFLAME' report '$work/a.pb.gz'" \
	"-top" "go tool pprof -top -symbolize=none '$work/a.pb.gz'"
row "compare two profiles" "'$PODFLAME' diff '$work/a.pb.gz' '$work/b.pb.gz'" \
	"-top -diff_base" "go tool pprof -top -symbolize=none -diff_base='$work/a.pb.gz' '$work/b.pb.gz'"
row "pprof -> stacks as text" "'$PODFLAME' convert '$work/a.pb.gz' '$work/out.folded'" \
	"-traces" "go tool pprof -traces -symbolize=none '$work/a.pb.gz'"
echo
go tool pprof -proto -symbolize=none "$work/a.pb.gz" >"$work/go.pb.gz" 2>/dev/null
ours=$(stat -c %s "$work/a.pb.gz")
theirs=$(stat -c %s "$work/go.pb.gz")
awk -v o="$ours" -v g="$theirs" 'BEGIN { printf "pprof size: podflame %d bytes, the same profile re-encoded by pprof -proto %d bytes (%.2fx)\n", o, g, g / o }'
podflame_total=$(awk '{ s += $NF } END { print s }' "$work/a.folded")
raw_total=$(go tool pprof -raw "$work/a.pb.gz" 2>/dev/null | awk '/^Samples:/ { s = 1; getline; next } /^Locations/ { s = 0 } s && /^ *[0-9]+( +[0-9]+)*: / { t += $1 } END { print t }')
echo "check: folded total $podflame_total, go tool pprof -raw total $raw_total"
