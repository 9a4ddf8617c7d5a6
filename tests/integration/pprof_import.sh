#!/usr/bin/env bash
# pprof written by Go itself (runtime/pprof, with inlined frames, file:line,
# mappings) read by podflame: report and convert agree with `go tool
# pprof`, and podflame writes the inlined frames back the way Go does, so
# `-traces` shows them as inlined.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/integration/lib_pprof.bash"
require_cmd go

go_build "$WORK/inline" "$ROOT/tests/go/inline" || { not_ok "build Go workload"; exit 1; }
"$WORK/inline" -s 2 -cpuprofile "$WORK/go.pprof" >/dev/null
check "Go wrote a CPU profile" test -s "$WORK/go.pprof"
go tool pprof -traces "$WORK/go.pprof" >"$WORK/go.traces" 2>&1
if ! grep -q 'main.mix (inline)' "$WORK/go.traces"; then
	skip "inlined frames" "this Go did not inline main.mix (no '(inline)' in its own -traces)"
fi

if n=$(compare_top "$WORK/go.pprof" "$WORK/go.pprof"); then
	ok "report of Go's pprof == go tool pprof -top, flat and cum ($n functions)"
else
	not_ok "report of Go's pprof == go tool pprof -top, flat and cum"
fi
check "convert Go's pprof -> folded" "$PODFLAME" convert "$WORK/go.pprof" "$WORK/go.folded"
want=$(pprof_raw_total "$WORK/go.pprof")
got=$(folded_total "$WORK/go.folded")
check "folded total ($got) == go tool pprof -raw total ($want)" test "$got" -eq "$want"
check "inlined frame is its own folded frame, callee after caller" \
	grep -q '^runtime\.main;main\.main;main\.hotLoop;main\.mix ' "$WORK/go.folded"
check "Go's period read (100 Hz)" grep -q '"frequency_hz": 100' <("$PODFLAME" report --json "$WORK/go.pprof")

# Re-export: addresses, mappings, file:line and inline lines survive.
check "convert Go's pprof -> podflame pprof" "$PODFLAME" convert "$WORK/go.pprof" "$WORK/again.pb.gz"
go tool pprof -traces "$WORK/again.pb.gz" >"$WORK/again.traces" 2>&1
check "-traces of podflame's pprof shows main.mix (inline)" grep -q 'main.mix (inline)' "$WORK/again.traces"
raw_locations() { go tool pprof -raw "$1" 2>/dev/null | sed -n '/^Locations/,/^Mappings/p' | sed 's/^ *[0-9]*: //' | sort; }
if diff <(raw_locations "$WORK/go.pprof") <(raw_locations "$WORK/again.pb.gz") >"$WORK/loc.diff"; then
	ok "every location (address, mapping, function, file:line, inline lines) as Go wrote it"
else
	not_ok "every location (address, mapping, function, file:line, inline lines) as Go wrote it" "$(head -20 "$WORK/loc.diff")"
fi
check "main binary is mapping 1 (pprof's File:)" grep -q '^File: inline$' <(go tool pprof -top "$WORK/again.pb.gz" 2>/dev/null)
if n=$(compare_top "$WORK/again.pb.gz" "$WORK/go.pprof"); then
	ok "go tool pprof -top of the re-export == of Go's original ($n functions)"
else
	not_ok "go tool pprof -top of the re-export == of Go's original"
fi
"$PODFLAME" convert "$WORK/again.pb.gz" "$WORK/again.folded"
check "pprof -> folded -> pprof -> folded: identical folded" cmp -s "$WORK/go.folded" "$WORK/again.folded"
finish
