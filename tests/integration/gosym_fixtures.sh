#!/usr/bin/env bash
# Go symbolization on binaries this test builds with Debian's Go in every
# layout podflame meets: default, stripped (-s -w), PIE, -gcflags=all=-l,
# cgo (externally linked: Go's text does not start at .text), cgo PIE (the
# table inside .data.rel.ro), stripped twins, no section headers at all, and
# a PIE whose pointer words are left to the dynamic linker.
#
# References: Go's debug/gosym (tests/go/gosymref) for every function and
# thousands of random PCs; the fixture's own runtime.CallersFrames for
# inlined frames; an unstripped twin for what debug/gosym cannot read.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/integration/gosym.bash"
require_cmd go gcc readelf objcopy

gosymref_build
SRC=./tests/go/gosymfix
FIX=$WORK/fix
mkdir -p "$FIX"

# build NAME CGO FLAGS...
build() {
	local name=$1 cgo=$2
	shift 2
	if ! CGO_ENABLED=$cgo go_build "$FIX/$name" "$SRC" "$@" 2>"$WORK/build.err"; then
		not_ok "build $name" "$(cat "$WORK/build.err")"
		return 1
	fi
}
# shellcheck disable=SC2015 # any build failing ends the test: finish runs only then
build default 0 &&
	build stripped 0 "-ldflags=-s -w" &&
	build pie 0 -buildmode=pie &&
	build pie-stripped 0 -buildmode=pie "-ldflags=-s -w" &&
	build noinline 0 -gcflags=all=-l &&
	build cgo 1 &&
	build cgo-stripped 1 "-ldflags=-s -w" &&
	build cgo-pie 1 -buildmode=pie &&
	build cgo-pie-stripped 1 -buildmode=pie "-ldflags=-s -w" || {
	finish
	exit 1
}
ok "built 9 fixtures with $(go env GOVERSION)"

# ---- debug/gosym on the binaries it can read right ---------------------
for mode in default pie noinline cgo cgo-pie stripped pie-stripped; do
	compare_funcs "$mode" "$FIX/$mode"
	compare_pcs "$mode" "$FIX/$mode" 5000 42
done

# ---- the runtime's own frames, inlined ones included -------------------
# check_chains MODE: every chain the fixture prints, symbolized at its
# return address - 1 (the call instruction), frame for frame.
check_chains() {
	local mode=$1 bin=$FIX/$1 bias
	if ! "$bin" >"$WORK/run.out" 2>"$WORK/run.err"; then
		not_ok "$mode: run fixture" "$(cat "$WORK/run.err")"
		return
	fi
	bias=$(awk '$1 == "bias" { print $2 }' "$WORK/run.out")
	awk -v bias="$bias" "$AWK_HEX"'
		$1 == "chain" { addr = sprintf("0x%x", hex($3) - hex(bias) - 1); name = $2 }
		$1 == "frame" { print name "\t" addr "\t" $2 "\t" $3 }' "$WORK/run.out" >"$WORK/want"
	cut -f2 "$WORK/want" | uniq | "$PODFLAME" symbolize --binary "$bin" >"$WORK/got.raw"
	paste <(cut -f1 "$WORK/want") "$WORK/got.raw" >"$WORK/got"
	if [ -s "$WORK/want" ] && diff "$WORK/want" "$WORK/got" >"$WORK/chain.diff"; then
		ok "$mode: $(cut -f1 "$WORK/want" | uniq | wc -l) stacks frame for frame as runtime.CallersFrames"
	else
		not_ok "$mode: runtime frames" "$(cat "$WORK/chain.diff")"
	fi
	cp "$WORK/want" "$WORK/want.$mode"
}
for mode in default stripped pie pie-stripped noinline cgo cgo-stripped cgo-pie cgo-pie-stripped; do
	check_chains "$mode"
done
# The inliner really inlined leaf into mid into outer (and -l did not).
if [ "$(awk -F'\t' '$1 == "inline" { printf "%s,", $3 }' "$WORK/want.default")" = "main.leaf,main.mid,main.outer," ] &&
	[ "$(awk -F'\t' '$1 == "inline" { printf "%s,", $3 }' "$WORK/want.noinline")" = "main.leaf," ]; then
	ok "inlined leaf -> mid -> outer reported with its caller chain; -l build has none"
else
	not_ok "inline chain" "default: $(grep -c '^inline' "$WORK/want.default") frames"
fi

# ---- names as the pclntab stores them, not as .symtab does --------------
# Assembly functions are "X.abi0" in .symtab and "X" in the pclntab;
# generic shapes are "F[go.shape.float64_0]" there and "F[...]" here.
go tool nm "$FIX/default" | awk '$2 == "T" && $3 ~ /\.abi0$/ { print "0x" $1 "\t" substr($3, 1, length($3) - 5) }' |
	sort -u -k1,1 >"$WORK/abi0.want"
cut -f1 "$WORK/abi0.want" | "$PODFLAME" symbolize --binary "$FIX/default" | pf_collapse | cut -f1,2 >"$WORK/abi0.got"
if [ "$(wc -l <"$WORK/abi0.want")" -gt 10 ] && diff "$WORK/abi0.want" "$WORK/abi0.got" >/dev/null; then
	ok "default: $(wc -l <"$WORK/abi0.want") .abi0 symbols named without the suffix"
else
	not_ok "abi0 names" "$(diff "$WORK/abi0.want" "$WORK/abi0.got" | head -4)"
fi
pick=$(readelf -sW "$FIX/default" | awk '$8 ~ /^main\.pick\[go\.shape\./ { print "0x" $2 "\t" $8; exit }')
got=$("$PODFLAME" symbolize --binary "$FIX/default" "${pick%%	*}" | cut -f2)
check "generic: ${pick#*	} in .symtab is $got in the pclntab" test "$got" = "main.pick[...]"

# ---- stripped twins: the same answers without any symbol ----------------
# twin NAME UNSTRIPPED OTHER: functions and 5000 random PCs (all frames).
twin() {
	local name=$1 a=$2 b=$3
	"$PODFLAME" symbolize --binary "$a" --functions >"$WORK/twin.a.f"
	awk -F'\t' "$AWK_HEX"'NR == 1 { lo = hex($1) } { hi = hex($2) }
		END { srand(9); for (i = 0; i < 5000; i++) printf "0x%x\n", lo + int(rand() * (hi - lo)) }' \
		"$WORK/twin.a.f" | sort -u >"$WORK/twin.pcs"
	"$PODFLAME" symbolize --binary "$b" --functions >"$WORK/twin.b.f"
	"$PODFLAME" symbolize --binary "$a" <"$WORK/twin.pcs" >"$WORK/twin.a"
	"$PODFLAME" symbolize --binary "$b" <"$WORK/twin.pcs" >"$WORK/twin.b"
	if [ -s "$WORK/twin.a" ] && cmp -s "$WORK/twin.a" "$WORK/twin.b" &&
		cmp -s "$WORK/twin.a.f" "$WORK/twin.b.f"; then
		ok "$name: functions and $(wc -l <"$WORK/twin.a") frames of 5000 PCs equal the unstripped twin's"
	else
		not_ok "$name: twin" "$(diff "$WORK/twin.a" "$WORK/twin.b" | head -4)"
	fi
}
for pair in stripped:default pie-stripped:pie cgo-stripped:cgo cgo-pie-stripped:cgo-pie; do
	s=${pair%%:*} u=${pair#*:}
	if readelf -SW "$FIX/$s" | grep -q '\.symtab'; then
		not_ok "$s: stripped" "still has .symtab"
	fi
	twin "$s" "$FIX/$u" "$FIX/$s"
done

# ---- where the text starts ----------------------------------------------
# cgo: the C start-up code comes first, so Go's text is past .text's start;
# podflame must take it from moduledata, not from the section.
for mode in cgo cgo-pie cgo-stripped; do
	src=$(info_field "$FIX/$mode" text_start)
	sym=$(go tool nm "$FIX/${mode%-stripped}" | awk '$3 == "runtime.text" { print "0x" $1 }')
	sect=$(printf '0x%x' "$(section "$FIX/$mode" .text addr)")
	if [ "${src%% *}" = "$(printf '0x%x' "$sym")" ] && [ "$src" != "${src%(moduledata)}" ] &&
		[ "$((sym))" -ne "$((sect))" ]; then
		ok "$mode: text start $src = runtime.text, not .text at $sect"
	else
		not_ok "$mode: text start" "podflame $src, runtime.text $sym, .text $sect"
	fi
done
where=$(info_field "$FIX/cgo-pie-stripped" pclntab)
case $where in
scan*) ok "cgo-pie-stripped: table found by scanning ($where)" ;;
*) not_ok "cgo-pie-stripped: table" "found by: $where (expected a scan: no section, no symbol)" ;;
esac

# ---- no section headers (sstrip) ----------------------------------------
# no_sections IN OUT: zero e_shoff, e_shnum and e_shstrndx.
no_sections() {
	cp "$1" "$2"
	printf '\0\0\0\0\0\0\0\0' | dd of="$2" bs=1 seek=40 conv=notrunc status=none
	printf '\0\0\0\0' | dd of="$2" bs=1 seek=60 conv=notrunc status=none
}
for mode in stripped cgo-pie-stripped; do
	no_sections "$FIX/$mode" "$FIX/$mode-nosect"
	if [ "$(readelf -hW "$FIX/$mode-nosect" | awk -F: '/Number of section headers/ { print $2 + 0 }')" != 0 ]; then
		not_ok "$mode-nosect" "section headers still there"
		continue
	fi
	src="$(info_field "$FIX/$mode-nosect" pclntab) / $(info_field "$FIX/$mode-nosect" text_start) / $(info_field "$FIX/$mode-nosect" buildinfo)"
	case $src in
	"scan "*"(moduledata) / scan") ok "$mode-nosect: table, text start, build info found: $src" ;;
	*) not_ok "$mode-nosect: lookup" "$src" ;;
	esac
	twin "$mode-nosect" "$FIX/$mode" "$FIX/$mode-nosect"
done

# ---- PIE words left to the dynamic linker -------------------------------
# Some linkers leave relocated words 0 in the file (the value is the RELA
# addend). Zero moduledata's first 41 words and find it through .rela.dyn.
bin=$FIX/cgo-pie-stripped
md=$(info_field "$bin" moduledata)
off=$(readelf -lW "$bin" | awk -v md="$((md))" "$AWK_HEX"'$1 == "LOAD" {
	v = hex($3); o = hex($2); f = hex($5)
	if (md >= v && md < v + f) { printf "%d\n", md - v + o; exit } }')
if [ -n "$md" ] && [ -n "$off" ]; then
	cp "$bin" "$FIX/cgo-pie-zeroed"
	dd if=/dev/zero of="$FIX/cgo-pie-zeroed" bs=1 seek="$off" count=$((41 * 8)) conv=notrunc status=none
	if [ "$(info_field "$FIX/cgo-pie-zeroed" moduledata)" = "$md" ] &&
		[ "$(info_field "$FIX/cgo-pie-zeroed" inline_frames)" = yes ]; then
		ok "cgo-pie with zeroed moduledata words: found at $md through RELA addends"
	else
		not_ok "cgo-pie zeroed moduledata" "$("$PODFLAME" symbolize --binary "$FIX/cgo-pie-zeroed" --info 2>&1)"
	fi
	twin "cgo-pie-zeroed" "$bin" "$FIX/cgo-pie-zeroed"
else
	not_ok "cgo-pie zeroed moduledata" "moduledata '$md' not located in a segment"
fi

# ---- SP deltas (pcsp) against the DWARF call frame info -----------------
# Go's linker writes .debug_frame from the same facts: CFA = rsp + 8 +
# delta. readelf decodes it; every row of every Go function's FDE must
# match at its first and its last PC.
sp_vs_dwarf() {
	local mode=$1 bin=$FIX/$1
	"$PODFLAME" symbolize --binary "$bin" --functions | cut -f1 >"$WORK/sp.entries"
	readelf -wF "$bin" 2>/dev/null | awk "$AWK_HEX"'
		NR == FNR { go[hex($1)] = 1; next }
		/ FDE / { split($NF, r, /[=.]+/); fde = (hex("0x" r[2]) in go); n = 0; next }
		fde && /^[0-9a-f]+ / {
			if ($2 !~ /^rsp\+[0-9]+$/) { fde = 0; next }
			loc[n] = hex("0x" $1); v = $2; sub(/rsp\+/, "", v); val[n++] = v - 8; next }
		fde && /^$/ { for (i = 0; i + 1 < n; i++) if (loc[i + 1] > loc[i]) {
				printf "0x%x\t%d\n0x%x\t%d\n", loc[i], val[i], loc[i + 1] - 1, val[i] }
			fde = 0 }' "$WORK/sp.entries" - | sort -u >"$WORK/sp.want"
	cut -f1 "$WORK/sp.want" | "$PODFLAME" symbolize --binary "$bin" --sp-delta >"$WORK/sp.got"
	if [ "$(wc -l <"$WORK/sp.want")" -gt 1000 ] && diff "$WORK/sp.want" "$WORK/sp.got" >"$WORK/sp.diff"; then
		ok "$mode: SP delta at $(wc -l <"$WORK/sp.want") PCs as the DWARF CFA rows say"
	else
		not_ok "$mode: SP delta" "$(wc -l <"$WORK/sp.want") PCs; $(head -4 "$WORK/sp.diff")"
	fi
}
sp_vs_dwarf default
sp_vs_dwarf cgo
sp_vs_dwarf pie

# ---- the Go version ----------------------------------------------------
want=$(go version "$FIX/default" | awk '{ print $2 }')
for mode in default stripped cgo-pie-stripped stripped-nosect; do
	check "$mode: Go version $want from .go.buildinfo" test "$(info_field "$FIX/$mode" go_version)" = "$want"
done
objcopy --remove-section .go.buildinfo "$FIX/stripped" "$FIX/no-buildinfo"
got="$(info_field "$FIX/no-buildinfo" go_version) ($(info_field "$FIX/no-buildinfo" buildinfo))"
check "no .go.buildinfo: $got" test "$got" = "$want (runtime version string)"

finish
