#!/usr/bin/env bash
# GOMAXPROCS as doctor reports it, against what the process really runs
# with: a program that calls runtime.GOMAXPROCS(3) itself (read from its
# memory, non-PIE and PIE), one given GOMAXPROCS in its environment, and a
# stripped one (no symbols: inferred from the rules, and said to be).
source "$(dirname "$0")/../lib.sh"
require_root
require_cmd go node

src=$ROOT/tests/go/setprocs
go_build "$WORK/setprocs" "$src" || { not_ok "build"; exit 1; }
go_build "$WORK/setprocs-pie" "$src" -buildmode=pie || { not_ok "build PIE"; exit 1; }
go_build "$WORK/setprocs-stripped" "$src" -ldflags=-s || { not_ok "build stripped"; exit 1; }
cpus=$(nproc)

jsq() { node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(eval(process.argv[2]))' "$1" "$2"; }
# doctor_on NAME ENV... -- CMD...: starts CMD, runs doctor --json on it.
doctor_on() {
	local name=$1 pid
	shift
	env "$@" >/dev/null &
	pid=$!
	at_exit "kill -9 $pid"
	sleep 0.5
	"$PODFLAME" doctor -p "$pid" -d 1 -q --json >"$WORK/$name.json" 2>"$WORK/$name.err"
	REPLY=$(jsq "$WORK/$name.json" "[d.gomaxprocs, d.gomaxprocs_source, d.gomaxprocs_observed].join(' ')")
	wait "$pid"
}
want() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; cat "$WORK/$4.err" >&2; fi
}

doctor_on mem -u GOMAXPROCS "$WORK/setprocs" -n 3 -s 3
want "runtime.GOMAXPROCS(3) read from memory" "$REPLY" "3 memory true" mem
doctor_on pie -u GOMAXPROCS "$WORK/setprocs-pie" -n 3 -s 3
want "runtime.GOMAXPROCS(3) read from a PIE's memory" "$REPLY" "3 memory true" pie
doctor_on env GOMAXPROCS=5 "$WORK/setprocs" -s 3
want "GOMAXPROCS=5 in the environment (memory agrees)" "$REPLY" "5 env true" env
doctor_on plain -u GOMAXPROCS "$WORK/setprocs" -s 3
want "no setting: the CPU count, confirmed from memory" "$REPLY" "$cpus affinity true" plain
doctor_on stripped -u GOMAXPROCS "$WORK/setprocs-stripped" -n 3 -s 3
want "stripped: no symbols, so the rule's value, not observed" "$REPLY" "$cpus affinity false" stripped
finish
