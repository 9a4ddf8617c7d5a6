#!/usr/bin/env bash
# record -o x.svg: straight to a flame graph, the same picture as rendering
# the folded output of the same recording with `podflame flamegraph`.
source "$(dirname "$0")/../lib.sh"
require_root
require_cmd xmllint

SPIN=$ROOT/$BUILD/tests/helpers/spin
cp "$SPIN" "$WORK/spinner"
"$WORK/spinner" -s 6 >/dev/null & pid=$!
at_exit "kill -9 $pid"
"$PODFLAME" record --pid $pid -d 2 -o "$WORK/rec.folded" -o "$WORK/rec.svg" 2>"$WORK/rec.err"
rc=$?
kill $pid 2>/dev/null
wait $pid 2>/dev/null
check "record -o .folded -o .svg exits 0" test $rc -eq 0
check "the SVG is well-formed" xmllint --noout "$WORK/rec.svg"
check "the SVG shows the busy leaf" grep -q '<title>podflame_spin_leaf (' "$WORK/rec.svg"
check "the SVG has the process as its root frame" grep -q '<title>spinner (' "$WORK/rec.svg"
"$PODFLAME" flamegraph -q "$WORK/rec.folded" -o "$WORK/rendered.svg"
check "same bytes as podflame flamegraph on the folded output" cmp -s "$WORK/rec.svg" "$WORK/rendered.svg"
total=$(folded_total "$WORK/rec.folded")
check "the root holds every recorded sample ($total)" grep -q "<title>all ($(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$total") samples, 100%)" "$WORK/rec.svg"
finish
