#!/usr/bin/env bash
# Go symbolization speed and memory: podflame symbolize against
# `go tool addr2line` on the same binary and the same PCs, in this run.
# Binary: Debian's Go toolchain compiler (cmd/compile, 16.5 MB, stripped).
# PCs: 1M uniformly random addresses in its function table's range (fixed
# seed). podflame prints file:line and every inlined frame; addr2line
# prints function and file:line only.
# Targets (issue 4): index <= 20 ms, >= 5x addr2line's throughput, memory
# <= the pclntab plus a small index. Prints Markdown rows; asserts nothing.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
PODFLAME=${PODFLAME:-$PWD/$BUILD/podflame}
N=${BENCH_PCS:-1000000}

if ! command -v go >/dev/null; then
	echo "bench_symbolize: skipped: needs Go's toolchain (apt-get install golang-go) for the compile binary and go tool addr2line"
	exit 0
fi
BIN=$(go env GOTOOLDIR)/compile
if [ ! -f "$BIN" ]; then
	echo "bench_symbolize: skipped: $BIN not found (apt-get install golang-go)"
	exit 0
fi
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=
WORK=$(mktemp -d /tmp/podflame-bench-symbolize.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# 1M PCs from podflame's own function list: [first entry, last end).
"$PODFLAME" symbolize --binary "$BIN" --functions >"$WORK/funcs" || exit 1
awk -F'\t' -v n="$N" '
	function hex(s,   i, v) { v = 0; s = tolower(substr(s, 3))
		for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v }
	NR == 1 { lo = hex($1) } { hi = hex($2) }
	END { srand(1); for (i = 0; i < n; i++) printf "0x%x\n", lo + int(rand() * (hi - lo)) }' \
	"$WORK/funcs" >"$WORK/pcs"

now() { date +%s.%N; }
# calc EXPR: floating-point arithmetic (awk: bc is not always installed).
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
# best_of K CMD...: "WALL CPU" seconds of the run with the least CPU time
# (user + system) of K, stdin from pcs. CPU time is the work itself; wall
# time also counts waiting for a core on a shared machine.
best_of() {
	local k=$1 best='' i t
	shift
	for ((i = 0; i < k; i++)); do
		t=$({ TIMEFORMAT='%R %U %S'; time "$@" <"$WORK/pcs" >/dev/null 2>&1; } 2>&1 | tail -n 1)
		t=$(echo "$t" | awk '{ printf "%.3f %.3f", $1, $2 + $3 }')
		if [ -z "$best" ] || [ "$(calc "${t#* } < ${best#* }")" = 1.000000 ]; then best=$t; fi
	done
	echo "$best"
}
stat_field() { awk -F'\t' -v f="$2" '$1 == f { print $2 }' "$1"; }

# Index: opening the binary (ELF, table, moduledata, build info): best and
# median of 5 (the machine may be shared; the best is the cost itself).
for i in 1 2 3 4 5; do
	"$PODFLAME" symbolize --binary "$BIN" --stats </dev/null 2>&1 >/dev/null | awk -F'\t' '$1 == "open_ms" { print $2 }'
done | sort -n >"$WORK/open_ms"
"$PODFLAME" symbolize --binary "$BIN" --stats <"$WORK/pcs" 2>"$WORK/stats" >/dev/null
read -r pf_wall pf < <(best_of 3 "$PODFLAME" symbolize --binary "$BIN")
read -r a2l_wall a2l < <(best_of 3 go tool addr2line "$BIN")
frames=$(stat_field "$WORK/stats" frames)
pclntab=$(stat_field "$WORK/stats" pclntab_bytes)
index=$(stat_field "$WORK/stats" index_bytes)

echo "### Go symbolization: $(basename "$BIN") ($(du -m "$BIN" | cut -f1) MB, $(go env GOVERSION)), $N random PCs, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| measure | podflame symbolize | go tool addr2line | ratio |"
echo "|---|---|---|---|"
printf '| open + index the binary, best (median) of 5 | %.2f ms (%.2f ms) | - | target <= 20 ms |\n' \
	"$(sed -n 1p "$WORK/open_ms")" "$(sed -n 3p "$WORK/open_ms")"
printf '| %d PCs, CPU s (wall s), best of 3 | %.3f s (%.3f s): %.2f M PCs/s, %s frames with inlining | %.3f s (%.3f s): %.2f M PCs/s | %.1fx (target >= 5x) |\n' \
	"$N" "$pf" "$pf_wall" "$(calc "$N / $pf / 1000000")" "$frames" "$a2l" "$a2l_wall" \
	"$(calc "$N / $a2l / 1000000")" "$(calc "$a2l / $pf")"
printf '| heap beside the mapped file after %d PCs | %.2f MB (%.0f%% of the %.2f MB pclntab) | - | - |\n' \
	"$N" "$(calc "$index / 1048576")" "$(calc "100 * $index / $pclntab")" \
	"$(calc "$pclntab / 1048576")"
if [ -n "$TIME" ]; then
	idle=$($TIME -f %M "$PODFLAME" symbolize --binary "$BIN" </dev/null 2>&1 >/dev/null | tail -n 1)
	busy=$($TIME -f %M "$PODFLAME" symbolize --binary "$BIN" <"$WORK/pcs" 2>&1 >/dev/null | tail -n 1)
	a2l_rss=$($TIME -f %M go tool addr2line "$BIN" <"$WORK/pcs" 2>&1 >/dev/null | tail -n 1)
	printf '| peak RSS (growth over an idle open) | %.1f MB (+%.1f MB: touched pclntab pages + index) | %.1f MB | %.1fx less |\n' \
		"$(calc "$busy / 1024")" "$(calc "($busy - $idle) / 1024")" \
		"$(calc "$a2l_rss / 1024")" "$(calc "$a2l_rss / $busy")"
else
	echo "| peak RSS | (needs /usr/bin/time: apt-get install time) | | |"
fi
