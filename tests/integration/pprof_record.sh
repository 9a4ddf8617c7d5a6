#!/usr/bin/env bash
# record -o x.pb.gz on the real kernel: a Go program (main.mix inlined into
# main.hotLoop) recorded by pid, written as pprof and folded in the same
# run, then read by Debian's `go tool pprof`: totals, flat/cum per function,
# addresses and mappings, process labels, and inlined frames in -traces.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/integration/lib_pprof.bash"
require_root
require_cmd go

go_build "$WORK/inline" "$ROOT/tests/go/inline" || { not_ok "build Go workload"; exit 1; }
"$WORK/inline" -s 4 >/dev/null &
pid=$!
at_exit "kill -9 $pid"
sleep 0.2
"$PODFLAME" record -p "$pid" -F 199 -d 2 -o "$WORK/rec.pb.gz" -o "$WORK/rec.folded" \
	-o "$WORK/rec.json" 2>"$WORK/record.err"
rc=$?
check "record exits 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$WORK/record.err" >&2

folded=$(folded_total "$WORK/rec.folded")
raw=$(pprof_raw_total "$WORK/rec.pb.gz")
check "go tool pprof -raw total ($raw) == folded total ($folded), > 0" \
	test "$raw" -eq "$folded" -a "$folded" -gt 0
if n=$(compare_top "$WORK/rec.pb.gz" "$WORK/rec.pb.gz"); then
	ok "go tool pprof -top flat/cum == podflame report self/inclusive ($n functions)"
else
	not_ok "go tool pprof -top flat/cum == podflame report self/inclusive"
fi
if n=$(compare_top "$WORK/rec.pb.gz" "$WORK/rec.folded"); then
	ok "... and == the report of the folded file of the same recording ($n functions)"
else
	not_ok "... and == the report of the folded file of the same recording"
fi
check "record -o x.json: the report" grep -q "\"samples\": $folded," "$WORK/rec.json"

go tool pprof -raw "$WORK/rec.pb.gz" >"$WORK/raw.txt" 2>&1
check "period 1e9/199 ns" grep -q '^Period: 5025125$' "$WORK/raw.txt"
check "process name and pid are labels" grep -q "pid:\[$pid\]" "$WORK/raw.txt"
check "comm label" grep -q "comm:\[inline\]" "$WORK/raw.txt"
check "locations carry runtime addresses" \
	test -n "$(awk '/^Locations/ { l = 1; next } /^Mappings/ { l = 0 } l && $2 ~ /^0x4[0-9a-f]+$/' "$WORK/raw.txt")"
check "the binary is a mapping" grep -qF "$WORK/inline" "$WORK/raw.txt"
check "and mapping 1 (pprof's File:)" grep -q '^File: inline$' <(go tool pprof -top "$WORK/rec.pb.gz" 2>/dev/null)
check "functions carry file:line" grep -qE 'main\.hotLoop .*/tests/go/inline/main\.go:[0-9]+ ' "$WORK/raw.txt"
inlined_location() { # a location line of main.mix continued by one of main.hotLoop
	awk '$1 ~ /^[0-9]+:$/ && $4 == "main.mix" && $5 ~ /main\.go:[0-9]+$/ { mix = 1; next }
		mix && $1 == "main.hotLoop" && $2 ~ /main\.go:[0-9]+$/ { found = 1 }
		{ mix = 0 } END { exit !found }' "$1"
}
check "inlined frames are lines of one location, innermost first (as Go writes them)" \
	inlined_location "$WORK/raw.txt"
go tool pprof -traces -symbolize=none "$WORK/rec.pb.gz" >"$WORK/traces.txt" 2>&1
check "-traces reads it" grep -q 'main.hotLoop' "$WORK/traces.txt"
check "-traces shows the inlined frame: main.mix (inline)" grep -q 'main.mix (inline)' "$WORK/traces.txt"
# The same stacks through the folded writer: pprof -> folded is the folded.
"$PODFLAME" convert "$WORK/rec.pb.gz" "$WORK/back.folded"
check "pprof -> folded == record's own folded" cmp -s "$WORK/rec.folded" "$WORK/back.folded"
finish
