#!/usr/bin/env bash
# podflame diff as a CI gate: exit statuses, the gate named on stderr, the
# noise interval, --strict, usage errors, and the three formats, on profiles
# given as folded and as pprof (either side either format).
source "$(dirname "$0")/../lib.sh"

# service WORK SCHED: a Go service profile whose scheduler subtree holds
# SCHED samples next to WORK samples of real work.
service() {
	cat <<EOF2
app;runtime.goexit;main.(*Server).handle;main.work;runtime.memmove $(($1 * 2 / 3))
app;runtime.goexit;main.(*Server).handle;encoding/json.Marshal $(($1 - $1 * 2 / 3))
app;runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable;runtime.stealWork $(($2 * 3 / 4))
app;runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable;futex_[k] $(($2 - $2 * 3 / 4))
EOF2
}
service 9000 1000 >"$WORK/base.folded"
service 9000 1000 >"$WORK/same.folded"
service 9000 1400 >"$WORK/sched40.folded" # the scheduler subtree grown by 40%
service 90 10 >"$WORK/small_base.folded"
service 90 14 >"$WORK/small_head.folded" # the same +40%, on 100 samples
"$PODFLAME" convert "$WORK/sched40.folded" "$WORK/sched40.pb.gz"

diff_rc() { "$PODFLAME" diff "$@" >"$WORK/out" 2>"$WORK/err"; echo $?; }

rc=$(diff_rc "$WORK/base.folded" "$WORK/same.folded" --fail-if 'runtime.schedule>+2pp' --fail-if 'total>+10%')
check "identical profiles: exit 0" test "$rc" -eq 0
check "identical profiles: nothing on stderr" test ! -s "$WORK/err"
check "identical profiles: no changes listed" grep -q "(none)" "$WORK/out"

rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.folded" --fail-if 'runtime.schedule>+2pp')
check "scheduler +40%: runtime.schedule>+2pp trips, exit 1" test "$rc" -eq 1
check "the tripped gate is named on stderr" \
	grep -q "gate tripped: runtime.schedule>+2pp: +3.46pp (noise ±1.16pp), 1000 -> 1400 samples" "$WORK/err"
check "text report lists runtime.schedule with both counts" \
	grep -qE '10\.00% +13\.46% +\+3\.46pp +±1\.16pp +1000 +1400  runtime\.schedule$' "$WORK/out"
rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.pb.gz" --fail-if 'runtime.schedule>+2pp')
check "folded base, pprof head: same verdict" test "$rc" -eq 1
rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.folded" --fail-if '@schedule>+2pp')
check "the scheduler family gate trips too" test "$rc" -eq 1
check "text report: Go runtime family row" \
	grep -qE '10\.00% +13\.46% +\+3\.46pp +±1\.16pp +1000 +1400  runtime\.schedule$' "$WORK/out"
rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.folded" --fail-if 'runtime.schedule>+5pp' \
	--fail-if 'total>+10%' --fail-if '/^runtime\.(findRunnable|stealWork)$/>+50%')
check "thresholds above the change: exit 0" test "$rc" -eq 0
rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.folded" --fail-if 'total>+10%' --fail-if 'main.work<-2pp')
check "a shrinking gate trips on shrinking work" test "$rc" -eq 1
check "only the tripped gate is named" test "$(grep -c 'gate tripped' "$WORK/err")" -eq 1

rc=$(diff_rc "$WORK/small_base.folded" "$WORK/small_head.folded" --fail-if 'runtime.schedule>+2pp')
check "+3.5pp on 100 samples is noise: exit 0 without --strict" test "$rc" -eq 0
check "... and stderr says it was within the noise" grep -q "within the noise interval" "$WORK/err"
rc=$(diff_rc "$WORK/small_base.folded" "$WORK/small_head.folded" --fail-if 'runtime.schedule>+2pp' --strict)
check "... --strict trips it: exit 1" test "$rc" -eq 1
rc=$(diff_rc "$WORK/small_base.folded" "$WORK/small_head.folded" --fail-if 'runtime.schedule>+2pp' --confidence 50)
check "... a 50% interval is narrow enough to trip it" test "$rc" -eq 1

rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.folded" --fail-if 'runtime.schedule>2')
check "malformed gate: usage error, exit 2" test "$rc" -eq 2
check "... naming the problem" grep -q "'runtime.schedule>2': the threshold has no unit" "$WORK/err"
check "... before reading anything (no report)" test ! -s "$WORK/out"
rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.folded" --fail-if 'runtime.schedule')
check "gate without comparison: exit 2" test "$rc" -eq 2
rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.folded" --fail-if 'total>+2pp')
check "total in pp: exit 2" test "$rc" -eq 2
rc=$(diff_rc "$WORK/base.folded")
check "one profile: exit 2" test "$rc" -eq 2
rc=$(diff_rc "$WORK/base.folded" "$WORK/nonexistent.folded")
check "missing profile: exit 1" test "$rc" -eq 1
rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.folded" --fail-if 'runtime.schedul>+2pp')
check "a gate on no frame: exit 0 with a warning" test "$rc" -eq 0 -a -n "$(grep 'no frame matches it' "$WORK/err")"

"$PODFLAME" diff "$WORK/base.folded" "$WORK/sched40.pb.gz" --format markdown \
	--fail-if 'runtime.schedule>+2pp' >"$WORK/diff.md" 2>/dev/null
# shellcheck disable=SC2016 # the backticks are markdown, not a command
check "markdown: gate table" grep -qF '| `runtime.schedule>+2pp` | +3.46pp | ±1.16pp | ❌ tripped |' "$WORK/diff.md"
check "markdown: Go runtime table" grep -qF '| runtime.schedule | 10.00% (1000) | 13.46% (1400) | **+3.46pp** | ±1.16pp |' "$WORK/diff.md"
# shellcheck disable=SC2016
check "markdown: changes table" grep -qF '| `runtime.schedule` | 10.00% (1000) | 13.46% (1400) | **+3.46pp** | ±1.16pp |' "$WORK/diff.md"
"$PODFLAME" diff "$WORK/base.folded" "$WORK/sched40.folded" --format json \
	--fail-if 'runtime.schedule>+2pp' -r "$WORK/diff.json" 2>/dev/null
if command -v python3 >/dev/null; then
	check "json: valid" python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["tripped"] == 1 and d["gates"][0]["tripped"] and d["base"]["samples"] == 10000' "$WORK/diff.json"
elif command -v node >/dev/null; then
	check "json: valid" node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1])); if (d.tripped !== 1 || d.base.samples !== 10000) process.exit(1)' "$WORK/diff.json"
else
	skip "json: valid" "neither python3 nor node to parse it"
fi
rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.pb.gz" -o "$WORK/diff.svg" --fail-if '@schedule>+2pp')
check "-o diff.svg with a tripped gate: still written, exit 1" test "$rc" -eq 1 -a -s "$WORK/diff.svg"
if command -v xmllint >/dev/null; then
	check "diff.svg is well-formed XML" xmllint --noout "$WORK/diff.svg"
else
	skip "diff.svg is well-formed XML" "xmllint not installed (libxml2-utils)"
fi
check "diff.svg's banner states the same scheduler shares" \
	grep -q 'runtime.schedule 10.00% → 13.46% (+3.46 pp)' "$WORK/diff.svg"
rc=$(diff_rc "$WORK/base.folded" "$WORK/sched40.folded" -o -)
check "-o - without -r: usage error (both on stdout)" test "$rc" -eq 2
check "--help exits 0 and explains the noise interval" \
	grep -q "z\*sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)" <("$PODFLAME" diff --help)
finish
