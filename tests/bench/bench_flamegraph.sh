#!/usr/bin/env bash
# podflame flamegraph against flamegraph.pl, side by side on the same input:
# wall time and peak RSS (/usr/bin/time) on generated Go-like profiles of
# 50k distinct stacks / 5M samples (~50 MB; median of REPS runs each, runs
# interleaved) and
# 500k stacks / 50M samples (~490 MB; one run each, BENCH_QUICK=1 skips
# flamegraph.pl there: it needs ~2 minutes and ~6 GB).
# flamegraph.pl is not part of podflame: $FLAMEGRAPH_PL, or a local mirror
# of github.com/brendangregg/FlameGraph; without it podflame runs alone.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
PODFLAME=${PODFLAME:-$PWD/$BUILD/podflame}
GEN=$PWD/$BUILD/tests/helpers/gen_folded
REPS=${REPS:-7}
work=$(mktemp -d "${BENCH_OUT:-/tmp}/podflame-bench-flamegraph.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ ! -x /usr/bin/time ]; then
	echo "bench_flamegraph: skipped: needs /usr/bin/time (apt-get install time)"
	exit 0
fi
fg_pl=
if [ -n "${FLAMEGRAPH_PL:-}" ] && [ -r "$FLAMEGRAPH_PL" ]; then
	fg_pl=$FLAMEGRAPH_PL
else
	for mirror in /work/.mirror/brendangregg+FlameGraph/repo "$PWD/build/FlameGraph"; do
		if [ -f "$mirror/flamegraph.pl" ]; then
			fg_pl=$mirror/flamegraph.pl
			break
		fi
		if git --git-dir="$mirror" show HEAD:flamegraph.pl >"$work/flamegraph.pl" 2>/dev/null; then
			fg_pl=$work/flamegraph.pl
			break
		fi
	done
fi

# measure OUT CMD...: "wall_s peak_kb" of one run, stdout to OUT. The wall
# time is taken here to the microsecond (time's %e counts hundredths, 6% of
# a 0.17 s run); it includes starting time itself, alike for both tools.
measure() {
	local out=$1 t0 t1
	shift
	t0=$EPOCHREALTIME
	/usr/bin/time -f "%M" -o "$work/time" "$@" >"$out" 2>"$work/err" || {
		echo "failed: $* ($(head -c 300 "$work/err"))" >&2
		echo "nan nan"
		return
	}
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" -v kb="$(cat "$work/time")" 'BEGIN { printf "%.4f %s\n", b - a, kb }'
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
frames() { grep -c '<title>' "$1"; }
fmt_mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f", b / 1e6 }'; }

# row LABEL TOOL TIMES MEMS FRAMES [PL_TIMES PL_M]: one table row; ratios
# of medians, and of the best runs (the least disturbed by other load).
row() {
	local t b m
	t=$(median <"$3")
	b=$(sort -g "$3" | head -1)
	m=$(median <"$4")
	if [ -n "${6:-}" ]; then
		awk -v l="$1" -v tool="$2" -v t="$t" -v b="$b" -v m="$m" -v f="$5" \
			-v pt="$(median <"$6")" -v pb="$(sort -g "$6" | head -1)" -v pm="$7" \
			'BEGIN { printf "| %s | %s | %s | %s | %.0f | %s | **%.0fx** (best %.0fx) | **1/%.0f** | >= 50x, <= 1/8 |\n",
				l, tool, t, b, m / 1024, f, pt / t, pb / b, pm / m }'
	else
		echo "| $1 | $2 | $t | $b | $(fmt_mb "$m") | $5 | | | |"
	fi
}

# bench LABEL FILE REPS WITH_PL: rows for flamegraph.pl and podflame on FILE,
# runs interleaved so that both see the same machine.
bench() {
	local label=$1 in=$2 reps=$3 with_pl=$4 i t pl_t='' pl_m='' f
	for f in pf pfo pl; do : >"$work/$f.t"; : >"$work/$f.m"; done
	for ((i = 0; i < reps; i++)); do
		# as flamegraph.pl writes: to stdout, redirected to a file
		t=$(measure "$work/pf.svg" "$PODFLAME" flamegraph -q "$in")
		echo "${t% *}" >>"$work/pf.t"; echo "${t#* }" >>"$work/pf.m"
		# as users run it: -o, a temporary file fsync'ed and renamed
		t=$(measure "$work/pf.out" "$PODFLAME" flamegraph -q "$in" -o "$work/pfo.svg")
		echo "${t% *}" >>"$work/pfo.t"; echo "${t#* }" >>"$work/pfo.m"
		if [ "$with_pl" = 1 ]; then
			t=$(measure "$work/pl.svg" perl "$fg_pl" "$in")
			echo "${t% *}" >>"$work/pl.t"; echo "${t#* }" >>"$work/pl.m"
		fi
	done
	cmp -s "$work/pf.svg" "$work/pfo.svg" || echo "-o and stdout gave different SVGs" >&2
	f=$(grep -c '^<g data-s=' "$work/pf.svg")
	if [ "$with_pl" = 1 ]; then
		pl_t=$work/pl.t
		pl_m=$(median <"$work/pl.m")
		echo "| $label | flamegraph.pl > out.svg | $(median <"$pl_t") | $(sort -g "$pl_t" | head -1) |" \
			"$(fmt_mb "$pl_m") | $(grep -c '<title>' "$work/pl.svg") | 1x | 1x | |"
	fi
	row "$label" "podflame flamegraph > out.svg" "$work/pf.t" "$work/pf.m" "$f" "$pl_t" "$pl_m"
	row "$label" "podflame flamegraph -o out.svg (fsync, rename)" "$work/pfo.t" "$work/pfo.m" "$f" "$pl_t" "$pl_m"
	# gzip input costs the decompression
	if [ "$reps" -gt 1 ]; then
		gzip -1 -c "$in" >"$in.gz"
		: >"$work/gz.t"; : >"$work/gz.m"
		for ((i = 0; i < reps; i++)); do
			t=$(measure "$work/gz.svg" "$PODFLAME" flamegraph -q "$in.gz")
			echo "${t% *}" >>"$work/gz.t"; echo "${t#* }" >>"$work/gz.m"
		done
		cmp -s "$work/pf.svg" "$work/gz.svg" || echo "gzip input gave a different SVG" >&2
		row "$label, gzip -1 ($(mb "$in.gz") MB)" "podflame flamegraph > out.svg" \
			"$work/gz.t" "$work/gz.m" "$f"
		rm -f "$in.gz"
	fi
}

# Each input is generated and flushed to disk just before its runs, so no
# writeback of a half-gigabyte file competes with the measurements.
"$GEN" -n 50000 -s 5000000 >"$work/p50k.folded"
sync
size50=$(mb "$work/p50k.folded")

echo "## flamegraph: podflame flamegraph vs flamegraph.pl"
echo
echo "Same generated Go-like profile for both (tests/helpers/gen_folded), default options"
echo "(1200 px, --minwidth 0.1). Wall time and peak RSS from /usr/bin/time, runs interleaved;"
echo "medians of $REPS runs on the 50k profile, one run on the 500k one. $(nproc) CPUs, load"
echo "$(cut -d' ' -f1 /proc/loadavg) at the start. Ratios are flamegraph.pl / podflame."
echo
if [ -z "$fg_pl" ]; then
	echo "flamegraph.pl not found: set FLAMEGRAPH_PL=/path/to/flamegraph.pl"
	echo "(git clone https://github.com/brendangregg/FlameGraph); podflame alone below."
	echo
fi
echo "| input | tool | wall s (median) | best s | peak RSS MiB | frames drawn | speed | memory | target |"
echo "|---|---|---|---|---|---|---|---|---|"
with_pl=0
[ -n "$fg_pl" ] && with_pl=1
bench "50k stacks / 5M samples ($size50 MB)" "$work/p50k.folded" "$REPS" "$with_pl"
rm -f "$work/p50k.folded"
"$GEN" -n 500000 -s 50000000 -d 36 >"$work/p500k.folded"
sync
size500=$(mb "$work/p500k.folded")
big_pl=$with_pl
[ -n "${BENCH_QUICK:-}" ] && big_pl=0
bench "500k stacks / 50M samples ($size500 MB)" "$work/p500k.folded" 1 "$big_pl"
echo
