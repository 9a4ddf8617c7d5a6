#!/usr/bin/env bash
# podflame flamegraph end to end: options, input forms (file, stdin, gzip),
# bad input, escaping checked by libxml2, determinism, pruning, the Go
# runtime banner against shares computed independently with awk, atomic
# output, and memory that does not grow with the input.
source "$(dirname "$0")/../lib.sh"
require_cmd xmllint gzip awk
GEN=$ROOT/$BUILD/tests/helpers/gen_folded
[ -x "$GEN" ] || { not_ok "generator built" "$GEN missing (run make)"; finish; exit 1; }

pfg() { "$PODFLAME" flamegraph "$@"; }
# frames FILE: number of frames drawn
frames() { grep -c '^<g data-s=' "$1"; }
# all_title FILE: the root's tooltip
all_title() { grep -o '<title>all ([^<]*</title>' "$1"; }
xcount() { xmllint --xpath "$2" "$1" 2>/dev/null; }

"$GEN" -n 3000 -s 300000 -r 7 >"$WORK/p.folded"
total=$(folded_total "$WORK/p.folded")

# --- help and usage -------------------------------------------------------
out=$(pfg --help); rc=$?
if [ $rc -eq 0 ] && [[ $out == *"--minwidth"* && $out == *"--highlight"* && $out == *findRunnable* ]]; then
	ok "--help on stdout, exit 0, lists the options and the runtime families"
else
	not_ok "--help on stdout, exit 0" "rc=$rc"
fi
for args in "--bogus" "--width abc" "--width 5" "--colors nope" "--highlight (" "--minwidth x%" "a b" "--title"; do
	# shellcheck disable=SC2086
	err=$(pfg $args 2>&1 >/dev/null); rc=$?
	if [ $rc -eq 2 ] && [[ $err == "podflame flamegraph: "* ]]; then
		ok "usage error exits 2: $args"
	else
		not_ok "usage error exits 2: $args" "rc=$rc err=$err"
	fi
done
err=$(pfg "$WORK/nope.folded" -o "$WORK/x.svg" 2>&1); rc=$?
if [ $rc -eq 1 ] && [[ $err == *"nope.folded: No such file or directory"* ]] && [ ! -e "$WORK/x.svg" ]; then
	ok "missing input: exit 1, names the file, no output"
else
	not_ok "missing input: exit 1, names the file, no output" "rc=$rc err=$err"
fi

# --- a real render --------------------------------------------------------
if pfg -q "$WORK/p.folded" -o "$WORK/p.svg" && xmllint --noout "$WORK/p.svg"; then
	ok "renders a Go-like profile to well-formed SVG"
else
	not_ok "renders a Go-like profile to well-formed SVG"
fi
want_all="<title>all ($(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$total") samples, 100%)</title>"
got_all=$(all_title "$WORK/p.svg")
if [ "$got_all" = "$want_all" ]; then ok "root frame holds every sample ($total)"; else not_ok "root frame holds every sample" "got '$got_all' want '$want_all'"; fi
n=$(frames "$WORK/p.svg")
if [ "$n" -gt 100 ]; then ok "frames drawn: $n"; else not_ok "frames drawn" "only $n"; fi
root_w=$(grep -m1 '<title>all ' "$WORK/p.svg" | sed 's/.* width="\([0-9.]*\)".*/\1/')
check "root spans 1200 - 2 * 10 px" [ "$root_w" = "1180.0" ]
svg_scripts=$(xcount "$WORK/p.svg" 'count(//*[local-name()="script"])')
check "one inline script, no external reference" [ "$svg_scripts" = "1" ]
refs=$(grep -oE 'href=|src=|url\([^#][^)]*\)|https?://[^" ]*' "$WORK/p.svg" | grep -vx 'http://www.w3.org/2000/svg')
if [ -z "$refs" ]; then
	ok "no network references besides the SVG namespace"
else
	not_ok "no network references" "found: $(head -3 <<<"$refs")"
fi

# --- input forms ------------------------------------------------------------
pfg -q - -o "$WORK/stdin.svg" <"$WORK/p.folded"
check "stdin via '-' gives the same SVG" cmp -s "$WORK/p.svg" "$WORK/stdin.svg"
pfg -q -o "$WORK/stdin2.svg" <"$WORK/p.folded"
check "stdin without IN gives the same SVG" cmp -s "$WORK/p.svg" "$WORK/stdin2.svg"
pfg -q "$WORK/p.folded" >"$WORK/stdout.svg"
check "no -o writes to stdout" cmp -s "$WORK/p.svg" "$WORK/stdout.svg"
gzip -c "$WORK/p.folded" >"$WORK/p.folded.gz"
pfg -q "$WORK/p.folded.gz" -o "$WORK/gz.svg"
check "gzip input is read transparently" cmp -s "$WORK/p.svg" "$WORK/gz.svg"
gzip -c "$WORK/p.folded" | pfg -q -o "$WORK/gzpipe.svg"
check "gzip on a pipe too" cmp -s "$WORK/p.svg" "$WORK/gzpipe.svg"
{ gzip -c <(head -n 1000 "$WORK/p.folded"); gzip -c <(tail -n +1001 "$WORK/p.folded"); } >"$WORK/multi.gz"
pfg -q "$WORK/multi.gz" -o "$WORK/multi.svg"
check "multi-member gzip (cat a.gz b.gz) is read whole" cmp -s "$WORK/p.svg" "$WORK/multi.svg"

# --- bad input ----------------------------------------------------------------
head -c 20000 "$WORK/p.folded.gz" >"$WORK/trunc.gz"
echo "previous" >"$WORK/keep.svg"
err=$(pfg "$WORK/trunc.gz" -o "$WORK/keep.svg" 2>&1); rc=$?
if [ $rc -eq 1 ] && [[ $err == *"corrupt or truncated gzip"* ]] && [ "$(cat "$WORK/keep.svg")" = previous ]; then
	ok "truncated gzip: exit 1, says so, the old output file is untouched"
else
	not_ok "truncated gzip: exit 1, old output untouched" "rc=$rc err=$err"
fi
leftover=$(find "$WORK" -name '.*.tmp.*' | wc -l)
check "no temporary files left behind" [ "$leftover" -eq 0 ]

{
	echo "# a comment"
	echo
	echo "main;work 10"
	echo "main;no_count_here"
	echo "main;idle abc"
	echo "main;half 0.5"
	echo "   7"
	echo "main;work 5"
} >"$WORK/bad.folded"
err=$(pfg "$WORK/bad.folded" -o "$WORK/bad.svg" 2>&1); rc=$?
if [ $rc -eq 0 ] && [[ $err == *"bad.folded:4: no count at end of line; line skipped"* ]] &&
	[[ $err == *"bad.folded:5: count is not a number; line skipped"* ]] &&
	[[ $err == *"bad.folded:7: no frames before the count; line skipped"* ]]; then
	ok "malformed lines reported with their line numbers, the rest rendered"
else
	not_ok "malformed lines reported with their line numbers" "rc=$rc err=$err"
fi
check "decimal counts add up (15.5 samples)" grep -q '<title>all (15.5 samples, 100%)</title>' "$WORK/bad.svg"
check "the malformed lines are not drawn" [ "$(grep -c 'no_count_here\|idle' "$WORK/bad.svg")" -eq 0 ]
for i in $(seq 1 30); do echo "junk line $i x"; done >"$WORK/junk.folded"
echo "ok;frame 1" >>"$WORK/junk.folded"
err=$(pfg "$WORK/junk.folded" -o "$WORK/junk.svg" 2>&1)
if [ "$(grep -c 'line skipped' <<<"$err")" -eq 20 ] && [[ $err == *"30 malformed lines skipped in all"* ]]; then
	ok "many malformed lines: the first 20 shown, all counted"
else
	not_ok "many malformed lines: first 20 shown, all counted" "$err"
fi
printf '# nothing\n\n' >"$WORK/empty.folded"
err=$(pfg "$WORK/empty.folded" -o "$WORK/empty.svg" 2>&1); rc=$?
if [ $rc -eq 1 ] && [[ $err == *"no samples in the input"* ]] && [ ! -e "$WORK/empty.svg" ]; then
	ok "no samples: exit 1, no output file"
else
	not_ok "no samples: exit 1, no output file" "rc=$rc err=$err"
fi
err=$(pfg -q "$WORK/p.folded" -o - 2>&1 >/dev/full); rc=$?
if [ $rc -eq 1 ] && [[ $err == *"No space left on device"* ]]; then ok "a full disk is an error"; else not_ok "a full disk is an error" "rc=$rc err=$err"; fi
err=$(pfg -q "$WORK/p.folded" -o "$WORK/no/such/dir/x.svg" 2>&1); rc=$?
check "an output directory that does not exist is an error" [ $rc -eq 1 ]

# --- determinism and escaping ---------------------------------------------
pfg -q "$WORK/p.folded" -o "$WORK/p2.svg"
check "same input, byte-identical SVG" cmp -s "$WORK/p.svg" "$WORK/p2.svg"
sort -r "$WORK/p.folded" | pfg -q -o "$WORK/p3.svg"
check "line order does not change the SVG" cmp -s "$WORK/p.svg" "$WORK/p3.svg"

{
	printf '%s\n' 'main;<script>alert(1)</script> 5'
	printf '%s\n' 'main;</title><g onload="alert(1)"> 4'
	printf '%s\n' 'main;a & b "quoted" '\''single'\'' 3'
	printf '%s\n' 'main;]]><evil/> 2'
	printf '%s\n' 'main;x" onmouseover="alert(1) 6'
	printf 'main;bad\xff\xfe\xc0bytes 2\n'
	printf 'main;ctl\x01\x1bchars 2\n'
	printf 'main;caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac 2\n'
} >"$WORK/hostile.folded"
if pfg -q "$WORK/hostile.folded" -o "$WORK/hostile.svg" --title '<b>"t"</b> & ]]>' \
	--subtitle "x' y=\"1" --countname '<n>' && xmllint --noout "$WORK/hostile.svg"; then
	ok "hostile names, title and count name: well-formed (xmllint)"
else
	not_ok "hostile names: well-formed (xmllint)" "$(xmllint --noout "$WORK/hostile.svg" 2>&1 | head -5)"
fi
elems=$(xcount "$WORK/hostile.svg" 'count(//*[local-name()="script"])')
evil=$(xcount "$WORK/hostile.svg" 'count(//*[local-name()="evil"] | //*[local-name()="b"] | //@onload | //@onmouseover | //@y)')
check "no element or attribute injected (1 script, 0 evil/b/onload/onmouseover)" [ "$elems" = 1 ] && [ "$evil" = 0 ]
check "names survive as text" grep -q '&lt;script&gt;alert(1)&lt;/script&gt; (5 &lt;n&gt;' "$WORK/hostile.svg"
check "invalid UTF-8 bytes become U+FFFD" grep -q $'bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdbytes' "$WORK/hostile.svg"
check "valid UTF-8 is kept" grep -q $'caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac' "$WORK/hostile.svg"

# --- options ----------------------------------------------------------------
pfg -q "$WORK/p.folded" -o "$WORK/o.svg" --title "My title" --subtitle "sub" --width 800 \
	--height 20 --countname ms --fonttype Courier --fontsize 10 --colors hot
check "--width sets the image width" grep -q '<svg version="1.1" width="800"' "$WORK/o.svg"
check "--title and --subtitle" grep -q '>My title</text>' "$WORK/o.svg"
check "--subtitle" grep -q '<text id="subtitle"[^>]*>sub</text>' "$WORK/o.svg"
check "--countname in tooltips" grep -q '<title>all ([0-9,]* ms, 100%)' "$WORK/o.svg"
check "--height sets the frame height" grep -q 'height="19.0"' "$WORK/o.svg"
check "--fonttype/--fontsize in the style" grep -q 'font-family: Courier, sans-serif; font-size: 10px' "$WORK/o.svg"
pfg -q "$WORK/p.folded" -o "$WORK/inv.svg" --inverted
y_all=$(grep -m1 '<title>all ' "$WORK/inv.svg" | sed 's/.* y="\([0-9.]*\)".*/\1/')
y_child=$(grep -m2 '^<g data-s=' "$WORK/inv.svg" | tail -1 | sed 's/.* y="\([0-9.]*\)".*/\1/')
check "--inverted: an icicle, root on top" awk -v a="$y_all" -v c="$y_child" 'BEGIN { exit !(a < c) }'
check "--inverted: titled Icicle Graph" grep -q '>Icicle Graph</text>' "$WORK/inv.svg"
printf 'main;a;leaf1 3\nmain;b;leaf1 4\nmain;b;leaf2 1\n' | pfg -q --reverse -o "$WORK/rev.svg"
check "--reverse merges from the leaf" grep -q '<title>leaf1 (7 samples, 87.50%)</title>' "$WORK/rev.svg"
pfg -q "$WORK/p.folded" -o "$WORK/wide.svg" --minwidth 0
pfg -q "$WORK/p.folded" -o "$WORK/narrow.svg" --minwidth 5
pfg -q "$WORK/p.folded" -o "$WORK/pct.svg" --minwidth 1%
nw=$(frames "$WORK/wide.svg") nn=$(frames "$WORK/narrow.svg") np=$(frames "$WORK/pct.svg")
if [ "$nw" -gt "$nn" ] && [ "$nn" -gt "$np" ] && [ "$(stat -c %s "$WORK/narrow.svg")" -lt "$(stat -c %s "$WORK/wide.svg")" ]; then
	ok "--minwidth prunes before writing: $nw > $nn (5 px) > $np (1%) frames"
else
	not_ok "--minwidth prunes" "$nw $nn $np"
fi
narrowest=$(grep '^<g data-s=' "$WORK/narrow.svg" | sed 's/.* width="\([0-9.]*\)".*/\1/' | sort -g | head -1)
check "no frame under 5 px survives --minwidth 5" awk -v w="$narrowest" 'BEGIN { exit !(w >= 4.95) }'

# --- the Go runtime banner against awk ---------------------------------------
# share of samples whose stack has a frame matching the ERE (anchored per frame)
share() {
	awk -v re="$2" '{ c = $NF; s = $0; sub(/[ \t]+[^ \t]+$/, "", s); n = split(s, f, ";");
		hit = 0; for (i = 1; i <= n; i++) if (f[i] ~ re) { hit = 1; break }
		if (hit) m += c; t += c } END { printf "%.2f%%\n", 100 * m / t }' "$1"
}
sched_re='^runtime\.(schedule|findrunnable|findRunnable|stealWork|park_m|runqsteal|runqgrab)(\.func[0-9.]+)?$|^runtime\.gosched'
want=$(share "$WORK/p.folded" "$sched_re")
check "banner: runtime.schedule share $want (awk)" grep -q ">runtime.schedule $want</text>" "$WORK/p.svg"
# worker: a worker frame and no assist frame in the stack
want=$(awk '{ c = $NF; t += c; a = ($0 ~ /runtime\.gcAssistAlloc/);
	w = ($0 ~ /runtime\.(gcBgMarkWorker|gcDrain|markroot|scanobject[; ]|scanblock[; ]|scanstack[; ]|scanframeworker[; ])/);
	if (a) as += c; else if (w) ws += c } END { printf "%.2f%% %.2f%%\n", 100 * ws / t, 100 * as / t }' "$WORK/p.folded")
check "banner: runtime.gcBgMarkWorker share ${want% *} (awk)" grep -q ">runtime.gcBgMarkWorker ${want% *}</text>" "$WORK/p.svg"
check "banner: GC assist share ${want#* } (awk)" grep -q ">GC assist ${want#* }</text>" "$WORK/p.svg"
pfg -q "$WORK/p.folded" -o "$WORK/hl.svg" --highlight 'json|proto' --highlight '^sync\.'
want=$(share "$WORK/p.folded" 'json|proto')
check "--highlight json|proto: share $want (awk)" grep -q ">/json|proto/ $want</text>" "$WORK/hl.svg"
want=$(share "$WORK/p.folded" '^sync\.')
check "--highlight repeatable: ^sync\\. share $want" grep -q ">/^sync\\\\./ $want</text>" "$WORK/hl.svg"
pfg -q --no-banner "$WORK/p.folded" -o "$WORK/nob.svg"
check "--no-banner leaves the banner out" bash -c "! grep -q 'id=\"banner\"' '$WORK/nob.svg'"
check "the banner is there without it" grep -q 'id="banner"' "$WORK/p.svg"
printf 'main;work 10\nmain;idle 3\n' | pfg -q -o "$WORK/c.svg"
check "no Go runtime, no highlight: no banner" bash -c "! grep -q 'id=\"banner\"' '$WORK/c.svg'"

# --- interrupted while writing: no half file, no temporary file ------------
"$GEN" -n 200000 -s 2000000 -r 9 >"$WORK/big.folded"
mkdir -p "$WORK/out"
echo previous >"$WORK/out/int.svg"
caught=0
for _ in 1 2 3 4 5; do
	"$PODFLAME" flamegraph -q --minwidth 0 "$WORK/big.folded" -o "$WORK/out/int.svg" & pid=$!
	# the temporary file appears once parsing is done and rendering starts
	for _ in $(seq 1 3000); do
		compgen -G "$WORK/out/.int.svg.tmp.*" >/dev/null && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.002
	done
	if compgen -G "$WORK/out/.int.svg.tmp.*" >/dev/null; then
		kill -TERM $pid
		wait $pid
		rc=$?
		caught=1
		break
	fi
	wait $pid
	echo previous >"$WORK/out/int.svg"
done
if [ $caught -eq 0 ]; then
	skip "SIGTERM while writing" "never caught the render in progress on this machine"
elif [ $rc -eq 143 ] && ! compgen -G "$WORK/out/.int.svg.tmp.*" >/dev/null &&
	{ [ "$(cat "$WORK/out/int.svg")" = previous ] || [ "$(tail -c 7 "$WORK/out/int.svg")" = "</svg>" ]; }; then
	# (the new file whole: the signal came while it was renamed into place)
	ok "SIGTERM while writing: exit 143, the old file intact (or the new one whole), no temporary file left"
else
	not_ok "SIGTERM while writing" "rc=$rc, $(find "$WORK/out" -mindepth 1 -printf '%f ')"
fi

# --- memory follows distinct frames, not input size ------------------------
"$GEN" -n 2000 -s 100000 -r 3 >"$WORK/small.folded"
rss_once=$(/usr/bin/time -f %M "$PODFLAME" flamegraph -q "$WORK/small.folded" -o "$WORK/m1.svg" 2>&1 >/dev/null | tail -1)
rss_many=$( (for _ in $(seq 1 150); do cat "$WORK/small.folded"; done) |
	/usr/bin/time -f %M "$PODFLAME" flamegraph -q -o "$WORK/m2.svg" 2>&1 >/dev/null | tail -1)
in_mb=$(($(stat -c %s "$WORK/small.folded") * 150 / 1048576))
if [ "$rss_many" -lt $((rss_once * 3 / 2 + 2048)) ]; then
	ok "150x the input (${in_mb} MB): peak RSS ${rss_many} KB vs ${rss_once} KB once"
else
	not_ok "memory bounded by distinct frames" "150x input: ${rss_many} KB, once: ${rss_once} KB"
fi
finish
