#!/usr/bin/env bash
# podflame symbolize as a user meets it: output format, --json, stdin,
# usage errors, and files that are not Go binaries, are cut short or have a
# damaged table: a clear message and exit 1, never a crash.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/integration/gosym.bash"
require_cmd go node readelf

BIN=$WORK/fixture
CGO_ENABLED=0 go_build "$BIN" ./tests/go/gosymfix || {
	not_ok "build fixture" "go build failed"
	finish
	exit 1
}
sym() { "$PODFLAME" symbolize "$@"; }

# run NAME WANT_RC STDERR_REGEX CMD...: exit status and message.
run() {
	local name=$1 want=$2 re=$3 rc
	shift 3
	"$@" >"$WORK/out" 2>"$WORK/err" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -Eq -- "$re" "$WORK/err"; then
		ok "$name: exit $rc, $(head -n 1 "$WORK/err")"
	else
		not_ok "$name" "exit $rc (want $want), stderr: $(head -c 300 "$WORK/err")"
	fi
}

# ---- usage ---------------------------------------------------------------
if sym --help >"$WORK/out" 2>&1 && grep -q '^usage: podflame symbolize' "$WORK/out"; then
	ok "--help on stdout, exit 0"
else
	not_ok "--help" "$(head -3 "$WORK/out")"
fi
run "no --binary" 2 "--binary FILE is required" sym 0x401000
run "bad address argument" 2 "'0xzz' is not a hex address" sym --binary "$BIN" 0xzz
run "unknown option" 2 "^podflame symbolize: unknown option '--frobnicate'" sym --binary "$BIN" --frobnicate
run "option without its argument" 2 "^podflame symbolize: option '--binary' needs an argument" sym --binary

# ---- files that are not Go binaries --------------------------------------
run "missing file" 1 "nope: No such file or directory" sym --binary "$WORK/nope" 0x1
printf 'hello\n' >"$WORK/text"
run "text file" 1 "not an ELF file" sym --binary "$WORK/text" 0x1
run "ELF without Go" 1 "not a Go binary" sym --binary "$(type -P true)" 0x1
run "directory" 1 "Is a directory" sym --binary "$WORK" 0x1

# ---- output format --------------------------------------------------------
entry=$(sym --binary "$BIN" --functions | awk -F'\t' '$3 == "main.outer" { print $1 }')
sym --binary "$BIN" 0x10 "$entry" >"$WORK/out"
printf '0x10\t??\t??:0\n' >"$WORK/want"
sym --binary "$BIN" --functions | awk -F'\t' '$3 == "main.outer" { print $1 "\t" $3 "\t" $4 }' >>"$WORK/want"
if diff "$WORK/want" "$WORK/out" >/dev/null; then
	ok "outside any function: 0xADDR<TAB>??<TAB>??:0; entry: 0xADDR<TAB>FUNC<TAB>FILE:LINE"
else
	not_ok "text format" "$(diff "$WORK/want" "$WORK/out")"
fi
# uppercase, no 0x prefix, blanks: one address per line on stdin
printf '%s\n\n  %s  \n' "${entry^^}" "${entry#0x}" | sed 's/^0X/0x/' | sym --binary "$BIN" >"$WORK/out"
check "stdin addresses in either case, with or without 0x" test "$(cut -f1 "$WORK/out" | sort -u)" = "$entry"
printf '%s\nnot-hex\n0x10\n' "$entry" | sym --binary "$BIN" >"$WORK/out" 2>"$WORK/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "stdin line 2: 'not-hex' is not a hex address" "$WORK/err" &&
	[ "$(wc -l <"$WORK/out")" -eq 2 ]; then
	ok "a bad stdin line is reported (line 2), the others resolved, exit 1"
else
	not_ok "bad stdin line" "rc $rc, $(cat "$WORK/err")"
fi

# --json: one object per address, the same frames as the text output
"$BIN" | awk '$1 == "chain" { print $3 }' >"$WORK/pcs"
sym --binary "$BIN" --functions | cut -f1 | head -200 >>"$WORK/pcs"
printf '0x10\n' >>"$WORK/pcs"
sym --binary "$BIN" <"$WORK/pcs" >"$WORK/text.out"
sym --binary "$BIN" --json <"$WORK/pcs" >"$WORK/json.out"
node -e '
const fs = require("fs");
const lines = fs.readFileSync(process.argv[1], "utf8").trim().split("\n");
const out = [];
for (const l of lines) {
	const o = JSON.parse(l);
	if (!o.frames.length) { out.push(o.address + "\t??\t??:0"); continue; }
	o.frames.forEach((f, i) => {
		if (f.inlined !== (i < o.frames.length - 1)) throw new Error("inlined flag at " + o.address);
		out.push(o.address + "\t" + f.function + "\t" + (f.file ?? "??") + ":" + f.line);
	});
}
process.stdout.write(out.join("\n") + "\n");
' "$WORK/json.out" >"$WORK/json.text" 2>"$WORK/err"
if [ -s "$WORK/json.text" ] && cmp -s "$WORK/json.text" "$WORK/text.out"; then
	ok "--json: $(wc -l <"$WORK/json.out") JSON objects, same frames as the text output"
else
	not_ok "--json" "$(head -3 "$WORK/err") $(diff "$WORK/json.text" "$WORK/text.out" | head -3)"
fi

# ---- damaged binaries -----------------------------------------------------
size=$(stat -c %s "$BIN")
tab_off=$(($(section "$BIN" .gopclntab off)))
tab_size=$(($(section "$BIN" .gopclntab size)))
crashes=0
for cut in 64 4096 $((tab_off + 100)) $((tab_off + tab_size / 2)) $((size / 2)) $((size - 1)); do
	head -c "$cut" "$BIN" >"$WORK/cut"
	sym --binary "$WORK/cut" "$entry" >/dev/null 2>"$WORK/err"
	rc=$?
	if [ "$rc" -gt 1 ] || { [ "$rc" -eq 1 ] && ! grep -q '^podflame symbolize: ' "$WORK/err"; }; then
		crashes=$((crashes + 1))
		echo "    cut at $cut: exit $rc: $(head -c 200 "$WORK/err")" >&2
	fi
done
check "truncated copies: exit 0 or 1 with a message, no crash" test "$crashes" -eq 0
head -c $((tab_off + tab_size / 2)) "$BIN" >"$WORK/cut"
run "cut inside .gopclntab" 1 "outside the file \\(truncated\\?\\)" sym --binary "$WORK/cut" "$entry"

# the function table overwritten: its entries out of order
cp "$BIN" "$WORK/corrupt"
printf '\xff\xff\xff\xff' | dd of="$WORK/corrupt" bs=1 seek=$((tab_off + $(od -An -tu8 -j $((tab_off + 64)) -N 8 "$BIN") + 8)) conv=notrunc status=none
run "function table out of order" 1 "corrupt pclntab \(section .gopclntab\): function table entry [0-9]+ \(0x[0-9a-f]+\) out of order" \
	sym --binary "$WORK/corrupt" "$entry"

# bytes of the table damaged at random: answers or clean errors, no crash
crashes=0
for i in $(seq 1 60); do
	cp "$BIN" "$WORK/mut"
	pos=$((tab_off + (i * 7919 * 31) % tab_size))
	printf %b "\\x$(printf %02x $(((i * 37) % 256)))" | dd of="$WORK/mut" bs=1 seek="$pos" conv=notrunc status=none
	head -300 "$WORK/pcs" | sym --binary "$WORK/mut" >/dev/null 2>"$WORK/err"
	rc=$?
	if [ "$rc" -gt 1 ]; then
		crashes=$((crashes + 1))
		echo "    byte at $pos: exit $rc: $(head -c 200 "$WORK/err")" >&2
	fi
done
check "60 copies with a damaged table byte: no crash" test "$crashes" -eq 0

finish
