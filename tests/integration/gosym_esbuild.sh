#!/usr/bin/env bash
# Go binaries nobody here built: npm's esbuild packages ship stripped Go
# executables, built over the years with Go 1.14 to 1.26. These releases
# cover every pclntab layout: 0xfffffffb (Go 1.2-1.15), 0xfffffffa
# (1.16-1.17), 0xfffffff0 (1.18-1.19), 0xfffffff1 (1.20+), including Go
# 1.26's table whose header no longer holds the text start, and binaries
# with no .go.buildinfo. Fetched with npm into build/esbuild/ once.
#
# References: debug/gosym (tests/go/gosymref; for 1.20+ tables it reads the
# fields it knows, which did not move), `go version` for build info, the
# runtime version string found by `strings` where there is no build info.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/integration/gosym.bash"
require_cmd go npm tar strings readelf od

# version  format  Go  (what each release was built with, from its build
# info or version string; the test checks it)
RELEASES="
0.5.26 go1.2 go1.14.2
0.8.57 go1.16 go1.16
0.13.15 go1.16 go1.17.2
0.15.18 go1.18 go1.19.3
0.17.19 go1.20 go1.20.4
0.25.12 go1.20 go1.23.12
0.27.2 go1.20 go1.25.5
0.28.2 go1.20 go1.26.5
"
CACHE=$ROOT/build/esbuild

# fetch VERSION: sets BIN to the cached executable; the package was
# esbuild-linux-64 before 0.15, @esbuild/linux-x64 since.
fetch() {
	local v=$1 dir=$CACHE/$1 pkg=@esbuild/linux-x64
	BIN=$dir/esbuild
	[ -x "$BIN" ] && return 0
	case $v in 0.[0-9].* | 0.1[0-4].*) pkg=esbuild-linux-64 ;; esac
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp" || return 1
	(cd "$dir.tmp" && npm pack --silent "$pkg@$v" >/dev/null 2>"$WORK/npm.err") &&
		tar xzf "$dir.tmp"/*.tgz -C "$dir.tmp" package/bin/esbuild &&
		mkdir -p "$dir" && mv "$dir.tmp/package/bin/esbuild" "$BIN"
	local rc=$?
	rm -rf "$dir.tmp"
	return $rc
}

gosymref_build
formats=
while read -r v format gover; do
	[ -n "$v" ] || continue
	if ! fetch "$v"; then
		skip "esbuild $v" "npm pack esbuild $v failed: $(head -c 200 "$WORK/npm.err" 2>/dev/null)"
		continue
	fi
	name="esbuild $v"
	"$PODFLAME" symbolize --binary "$BIN" --info >"$WORK/info" 2>&1 || {
		not_ok "$name: open" "$(cat "$WORK/info")"
		continue
	}
	field() { awk -F'\t' -v f="$1" '$1 == f { print $2 }' "$WORK/info"; }
	got=$(field format)
	check "$name: table layout $got" test "$got" = "$format"
	formats="$formats $got"

	# Go version: build info as `go version` reads it, or the runtime's
	# string where the binary has none.
	if ref=$(go version "$BIN" 2>/dev/null | awk '{ print $2 }') && [ -n "$ref" ]; then
		src=".go.buildinfo"
		check "$name: main module" test "$(field main_module)" = github.com/evanw/esbuild
	else
		ref=$(strings -n 6 "$BIN" | grep -E '^go1\.[0-9]+(\.[0-9]+)?$' | sort -u)
		src="runtime version string"
		check "$name: no .go.buildinfo, version from the runtime's string" \
			test "$(field buildinfo)" = "runtime version string"
	fi
	if [ "$(field go_version)" = "$ref" ] && [ "$ref" = "$gover" ]; then
		ok "$name: built by $ref ($src)"
	else
		not_ok "$name: Go version" "podflame '$(field go_version)', reference '$ref', expected $gover"
	fi

	# Known functions of the runtime and of esbuild itself.
	"$PODFLAME" symbolize --binary "$BIN" --functions >"$WORK/funcs"
	n_internal=$(cut -f3 "$WORK/funcs" | grep -c '^github.com/evanw/esbuild/internal/')
	if grep -qP '\truntime\.schedule\t' "$WORK/funcs" && grep -qP '\tmain\.main\t' "$WORK/funcs" &&
		[ "$n_internal" -gt 100 ]; then
		ok "$name: runtime.schedule, main.main and $n_internal esbuild/internal functions"
	else
		not_ok "$name: known functions" "esbuild/internal: $n_internal"
	fi
	entry=$(awk -F'\t' '$3 == "runtime.schedule" { print $1 }' "$WORK/funcs")
	inside=$(printf '0x%x' $((entry + 0x40)))
	outer=$("$PODFLAME" symbolize --binary "$BIN" "$inside" | tail -n 1 | cut -f2)
	check "$name: $inside inside runtime.schedule resolves to it" test "$outer" = runtime.schedule

	compare_funcs "$name" "$BIN"
	compare_pcs "$name" "$BIN" 5000 17
	inline_consistency "$name" "$BIN" 1000

	if [ "$gover" != "${gover#go1.26}" ]; then
		# Go 1.26: the header's text start is 0; moduledata (own section)
		# has it.
		off=$(section "$BIN" .gopclntab off)
		hdr=$(od -An -tx8 -j $((off + 24)) -N 8 "$BIN" | tr -d ' ')
		text=$(printf '0x%x' "$(section "$BIN" .text addr)")
		if [ "$hdr" = 0000000000000000 ] && [ "$(field text_start)" = "$text (moduledata)" ]; then
			ok "$name: header text start is 0; $text from moduledata"
		else
			not_ok "$name: text start" "header $hdr, podflame $(field text_start), .text $text"
		fi
		# No section headers either (and this binary has neither build
		# info nor a PT_NOTE): moduledata by scan, the same functions.
		cp "$BIN" "$WORK/nosect"
		printf '\0\0\0\0\0\0\0\0' | dd of="$WORK/nosect" bs=1 seek=40 conv=notrunc status=none
		printf '\0\0\0\0' | dd of="$WORK/nosect" bs=1 seek=60 conv=notrunc status=none
		"$PODFLAME" symbolize --binary "$WORK/nosect" --functions >"$WORK/nosect.funcs"
		src=$(info_field "$WORK/nosect" text_start)
		if cmp -s "$WORK/funcs" "$WORK/nosect.funcs" && [ "$src" = "$text (moduledata)" ]; then
			ok "$name without section headers: same $(wc -l <"$WORK/funcs") functions, text start $src"
		else
			not_ok "$name without section headers" "text start '$src'"
		fi
	fi
done <<<"$RELEASES"

for f in go1.2 go1.16 go1.18 go1.20; do
	case " $formats " in
	*" $f "*) ;;
	*) skip "layout $f covered" "no esbuild release with it could be fetched" ;;
	esac
done
finish
