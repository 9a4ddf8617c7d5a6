#!/usr/bin/env bash
# SIGINT/SIGTERM while convert, report and diff write: the old output file
# stays whole (or, when the signal comes as the new one is renamed into
# place, the new one is complete), and no temporary file is left (record
# and flamegraph have their own tests of this).
source "$(dirname "$0")/../lib.sh"

GEN=$ROOT/$BUILD/tests/helpers/gen_folded
"$GEN" -n 200000 -s 2000000 -r 5 >"$WORK/big.folded"
"$GEN" -n 200000 -s 2000000 -r 6 >"$WORK/big2.folded"
mkdir -p "$WORK/out"

# interrupt SIG OUT CMD...: starts CMD, signals it once its temporary file
# for OUT exists; sets CAUGHT=1 when it did.
interrupt() {
	local sig=$1 out=$2 pid i
	shift 2
	CAUGHT=0
	echo previous >"$out"
	"$@" >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 1 5000); do
		compgen -G "$(dirname "$out")/.$(basename "$out").tmp.*" >/dev/null && { CAUGHT=1; break; }
		kill -0 $pid 2>/dev/null || break
		sleep 0.001
	done
	[ "$CAUGHT" = 1 ] && kill -"$sig" "$pid"
	wait $pid
}

# whole_or_old OUT: OUT is what it was before, or a complete new output (a
# signal that lands while the output is renamed into place is handled just
# after: the command's work is done by then).
whole_or_old() {
	[ "$(cat "$1")" = previous ] && return 0
	case $1 in
	*.svg) [ "$(tail -c 7 "$1")" = "</svg>" ] ;;
	*.json) node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$1" ;;
	*.gz) gzip -t "$1" ;;
	*) return 1 ;;
	esac
}

for spec in "convert:$WORK/out/c.pb.gz:convert $WORK/big.folded $WORK/out/c.pb.gz" \
	"report:$WORK/out/r.json:report $WORK/big.folded --json -o $WORK/out/r.json" \
	"diff:$WORK/out/d.svg:diff $WORK/big.folded $WORK/big2.folded -o $WORK/out/d.svg"; do
	IFS=: read -r name out cmd <<<"$spec"
	for sig in INT TERM; do
		caught_any=0
		for _ in 1 2 3 4 5; do
			# shellcheck disable=SC2086
			interrupt $sig "$out" "$PODFLAME" $cmd
			[ $CAUGHT = 1 ] && { caught_any=1; break; }
		done
		if [ $caught_any = 0 ]; then
			skip "$name SIG$sig" "never caught the write in progress on this machine"
			continue
		fi
		check "$name SIG$sig: the old output intact, or the new one whole" whole_or_old "$out"
		check "$name SIG$sig: no temporary file" test -z "$(find "$WORK/out" -name '.*.tmp.*')"
	done
done
finish
