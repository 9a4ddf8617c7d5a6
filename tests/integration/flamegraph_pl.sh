#!/usr/bin/env bash
# Same input, same picture as Brendan Gregg's flamegraph.pl: every frame it
# draws, we draw, with the same name, depth, sample count and percentage, at
# the same x and width within 1 px. flamegraph.pl is not part of podflame:
# it is taken from $FLAMEGRAPH_PL, or a local mirror of
# github.com/brendangregg/FlameGraph, or the test skips saying how to get it.
source "$(dirname "$0")/../lib.sh"
require_cmd perl xmllint

# find_flamegraph_pl: prints the path of a flamegraph.pl, or nothing.
find_flamegraph_pl() {
	local mirror
	if [ -n "${FLAMEGRAPH_PL:-}" ] && [ -r "$FLAMEGRAPH_PL" ]; then
		echo "$FLAMEGRAPH_PL"
		return
	fi
	for mirror in /work/.mirror/brendangregg+FlameGraph/repo "$ROOT/build/FlameGraph"; do
		if [ -f "$mirror/flamegraph.pl" ]; then
			echo "$mirror/flamegraph.pl"
			return
		fi
		if git --git-dir="$mirror" show HEAD:flamegraph.pl >"$WORK/flamegraph.pl" 2>/dev/null; then
			echo "$WORK/flamegraph.pl"
			return
		fi
	done
}
FG_PL=$(find_flamegraph_pl)
if [ -z "$FG_PL" ]; then
	skip "$TEST_NAME" "flamegraph.pl not found: set FLAMEGRAPH_PL=/path/to/flamegraph.pl (git clone https://github.com/brendangregg/FlameGraph)"
	exit 0
fi
GEN=$ROOT/$BUILD/tests/helpers/gen_folded

# frames SVG: one line per frame, "depth<TAB>x<TAB>width<TAB>title", title
# XML-unescaped, depth counted in frame heights from the root ("all").
frames() {
	perl -ne '
		$in = 1 if /<g id="frames"/; # legends and banners are not frames
		next unless $in && /<title>(.*?)<\/title>\s*<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"/;
		my ($t, $x, $y, $w) = ($1, $2, $3, $4);
		for ($t) { s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/\x27/g; s/&amp;/&/g; }
		push @f, [$t, $x, $y, $w];
		$root = $y if $t =~ /^all \(/;
		END { printf "%d\t%s\t%s\t%s\n", ($root - $_->[2]) / 16, $_->[1], $_->[3], $_->[0] for @f }
	' "$1"
}

# flamegraph.pl writes <g>, <title> and <rect> on separate lines: join them.
join_lines() { tr -d '\n' <"$1" | sed 's/<g /\n<g /g'; }

# compare NAME FOLDED [flamegraph options...]: renders with both and compares.
compare() {
	local name=$1 in=$2
	shift 2
	if ! perl "$FG_PL" "$@" "$in" >"$WORK/$name.pl.svg" 2>"$WORK/$name.pl.err"; then
		not_ok "$name: flamegraph.pl ran" "$(head -3 "$WORK/$name.pl.err")"
		return
	fi
	"$PODFLAME" flamegraph -q "$@" "$in" -o "$WORK/$name.pf.svg" || { not_ok "$name: podflame ran"; return; }
	join_lines "$WORK/$name.pl.svg" >"$WORK/$name.pl.joined"
	join_lines "$WORK/$name.pf.svg" >"$WORK/$name.pf.joined"
	frames "$WORK/$name.pl.joined" | sort >"$WORK/$name.pl.frames"
	frames "$WORK/$name.pf.joined" | sort >"$WORK/$name.pf.frames"
	local npl npf
	npl=$(wc -l <"$WORK/$name.pl.frames")
	npf=$(wc -l <"$WORK/$name.pf.frames")
	if [ "$npl" -lt 10 ]; then
		not_ok "$name: flamegraph.pl drew frames" "only $npl"
		return
	fi
	if [ "$npl" -eq "$npf" ]; then ok "$name: same number of frames ($npl)"; else not_ok "$name: same number of frames" "flamegraph.pl $npl, podflame $npf"; fi
	# Match each flamegraph.pl frame to ours by depth and title, then x/width.
	local report
	report=$(perl -e '
		open my $a, "<", $ARGV[0] or die; open my $b, "<", $ARGV[1] or die;
		my %ours;
		while (<$b>) { chomp; my ($d, $x, $w, $t) = split /\t/, $_, 4; push @{$ours{"$d\t$t"}}, [$x, $w] }
		my ($n, $miss, $off, $maxdx, $maxdw) = (0, 0, 0, 0, 0);
		while (<$a>) {
			chomp; my ($d, $x, $w, $t) = split /\t/, $_, 4; $n++;
			my $cands = $ours{"$d\t$t"};
			if (!$cands || !@$cands) { $miss++; print STDERR "missing: $d $x $w $t\n" if $miss <= 5; next }
			my ($best, $bi) = (1e9, -1);
			for my $i (0 .. $#$cands) { my $dx = abs($cands->[$i][0] - $x); ($best, $bi) = ($dx, $i) if $dx < $best }
			my ($cx, $cw) = @{splice @$cands, $bi, 1};
			my ($dx, $dw) = (abs($cx - $x), abs($cw - $w));
			$maxdx = $dx if $dx > $maxdx; $maxdw = $dw if $dw > $maxdw;
			if ($dx > 1 || $dw > 1) { $off++; print STDERR "off: $t x $x/$cx w $w/$cw\n" if $off <= 5 }
		}
		printf "%d %d %d %.1f %.1f\n", $n, $miss, $off, $maxdx, $maxdw;
	' "$WORK/$name.pl.frames" "$WORK/$name.pf.frames" 2>"$WORK/$name.cmp.err")
	read -r n miss off maxdx maxdw <<<"$report"
	if [ "$miss" -eq 0 ]; then
		ok "$name: every flamegraph.pl frame has ours at the same depth with the same title"
	else
		not_ok "$name: every flamegraph.pl frame matched" "$miss of $n missing: $(head -3 "$WORK/$name.cmp.err")"
	fi
	if [ "$off" -eq 0 ]; then
		ok "$name: x and width within 1 px (largest differences ${maxdx} / ${maxdw} px)"
	else
		not_ok "$name: x and width within 1 px" "$off frames off: $(head -3 "$WORK/$name.cmp.err")"
	fi
}

"$GEN" -n 3000 -s 400000 -r 11 >"$WORK/go.folded"
compare go "$WORK/go.folded"
compare go-narrow "$WORK/go.folded" --width 600 --minwidth 2
compare go-inverted "$WORK/go.folded" --inverted
compare go-reverse "$WORK/go.folded" --reverse
# perf-style input: process names with spaces, kernel annotations, self
# samples on inner frames, and siblings where one name prefixes another.
{
	echo "my app;main;do_work;memcpy 40"
	echo "my app;main;do_work 25"
	echo "my app;main;do_work_slow;compute 30"
	echo "my app;main 5"
	echo "my app;main;entry_SYSCALL_64_[k];do_syscall_64_[k];ksys_write_[k] 17"
	echo "my app;main;do_work;memcpy;__memmove_avx_unaligned_erms 8"
	echo "kworker/0:1;worker_thread_[k];process_one_work_[k] 12"
	echo "[unknown];libfoo.so+0x1f3a0 3"
} >"$WORK/perf.folded"
compare perf "$WORK/perf.folded" --minwidth 0
finish
