# Helpers shared by tests/integration/gosym_*.sh (sourced after lib.sh).

# gosymref_build: Go's debug/gosym as a command ($GOSYMREF), see
# tests/go/gosymref/main.go.
gosymref_build() {
	GOSYMREF=$WORK/gosymref
	CGO_ENABLED=0 go_build "$GOSYMREF" ./tests/go/gosymref || {
		not_ok "build gosymref" "go build tests/go/gosymref failed"
		finish
		exit 1
	}
}

# pf_collapse: podflame symbolize text output (one line per frame, frames
# of an address adjacent) to one line per address, in the shape gosymref
# prints: ADDR, the physical (outermost) function, the innermost FILE:LINE.
# Addresses must be distinct.
pf_collapse() {
	awk -F'\t' '$1 != a { if (NR > 1) print a "\t" fn "\t" fl; a = $1; fl = $3 }
		{ fn = $2 } END { if (NR) print a "\t" fn "\t" fl }'
}

# compare_funcs NAME BIN: every function debug/gosym lists, with the same
# entry, end and name, and no other.
compare_funcs() {
	local name=$1 bin=$2
	"$GOSYMREF" funcs "$bin" >"$WORK/ref.funcs" 2>"$WORK/ref.err" || {
		not_ok "$name: functions" "gosymref: $(cat "$WORK/ref.err")"
		return
	}
	"$PODFLAME" symbolize --binary "$bin" --functions | cut -f1-3 >"$WORK/pf.funcs"
	if diff "$WORK/ref.funcs" "$WORK/pf.funcs" >"$WORK/funcs.diff"; then
		ok "$name: all $(wc -l <"$WORK/ref.funcs") functions as debug/gosym lists them"
	else
		not_ok "$name: functions" "$(head -5 "$WORK/funcs.diff")"
	fi
	# the entry of every function resolves to it (of functions sharing an
	# entry, an empty one and the next, the next)
	awk -F'\t' '$1 != prev { if (NR > 1) print prev "\t" fn; prev = $1 } { fn = $3 }
		END { print prev "\t" fn }' "$WORK/ref.funcs" >"$WORK/ref.entries"
	cut -f1 "$WORK/ref.entries" | "$PODFLAME" symbolize --binary "$bin" | pf_collapse |
		cut -f1,2 >"$WORK/pf.entries"
	if diff "$WORK/ref.entries" "$WORK/pf.entries" >"$WORK/entries.diff"; then
		ok "$name: every entry PC resolves to its function"
	else
		not_ok "$name: entry PCs" "$(head -5 "$WORK/entries.diff")"
	fi
}

# compare_pcs NAME BIN N SEED: N random PCs: physical function and innermost
# file:line as debug/gosym says.
compare_pcs() {
	local name=$1 bin=$2 n=$3 seed=$4
	"$GOSYMREF" pcs "$n" "$seed" "$bin" 2>/dev/null | sort -u >"$WORK/ref.pcs"
	cut -f1 "$WORK/ref.pcs" | "$PODFLAME" symbolize --binary "$bin" | pf_collapse >"$WORK/pf.pcs"
	if [ -s "$WORK/ref.pcs" ] && diff "$WORK/ref.pcs" "$WORK/pf.pcs" >"$WORK/pcs.diff"; then
		ok "$name: $(wc -l <"$WORK/ref.pcs") random PCs: function and file:line as debug/gosym"
	else
		not_ok "$name: random PCs" "$(head -6 "$WORK/pcs.diff")"
	fi
}

# info_field BIN FIELD: a line of symbolize --info.
info_field() {
	"$PODFLAME" symbolize --binary "$1" --info | awk -F'\t' -v f="$2" '$1 == f { print $2 }'
}

# inline_consistency NAME BIN MIN: an inlined frame names a function whose
# out-of-line copy (when the binary has one) is in the same file: a wrong
# inline tree base gives garbage names or files. At least MIN inlined
# frames among 20000 random PCs, and 99% consistent.
inline_consistency() {
	local name=$1 bin=$2 min=$3
	"$PODFLAME" symbolize --binary "$bin" --functions >"$WORK/inl.funcs"
	"$GOSYMREF" pcs 20000 3 "$bin" 2>/dev/null | cut -f1 | sort -u |
		"$PODFLAME" symbolize --binary "$bin" >"$WORK/inl.sym"
	read -r total known same < <(awk -F'\t' '
		NR == FNR { f = $4; sub(/:[0-9]+$/, "", f); file[$3] = f; next }
		{ if ($1 == prev) inl[FNR - 1] = 1; prev = $1; nm[FNR] = $2
		  fl = $3; sub(/:[0-9]+$/, "", fl); fi[FNR] = fl; n = FNR }
		END { for (i = 1; i <= n; i++) if (i in inl) { t++
			if (nm[i] in file) { k++; if (file[nm[i]] == fi[i]) s++ } }
		      print t + 0, k + 0, s + 0 }' "$WORK/inl.funcs" "$WORK/inl.sym")
	if [ "$total" -ge "$min" ] && [ "$known" -gt 0 ] && [ $((same * 100)) -ge $((known * 99)) ]; then
		ok "$name: $total inlined frames; $same of $known named functions in their own file"
	else
		not_ok "$name: inline frames" "inlined $total (want >= $min), in own file $same of $known"
	fi
}

# AWK_HEX: an awk function hex(s) for "0x..." strings (mawk has no strtonum).
AWK_HEX='function hex(s,   i, c, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
	return v }'

# section BIN NAME FIELD: a section's addr, off or size as 0x..., from
# readelf (whose "[ 3]" column would shift awk's fields).
section() {
	readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] *//p' | awk -v n="$2" -v f="$3" '
		$1 == n { i = f == "addr" ? 3 : f == "off" ? 4 : 5; print "0x" $i; exit }'
}
