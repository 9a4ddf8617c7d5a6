#!/usr/bin/env bash
# The test runner: every unit-test binary, then every integration script,
# then the browser tests. Each prints TAP-style lines ("ok - ...",
# "not ok - ...", "ok - ... # SKIP reason"); this script tallies them and
# ends with the closing line "N passed, N failed, N skipped".
#   tests/run.sh [--unit-only] [PATTERN]    PATTERN filters test file names
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
export BUILD PODFLAME_TEST_DATA=$PWD/tests/data PODFLAME=$PWD/$BUILD/podflame
unit_only=0
pattern=
for arg in "$@"; do
	case $arg in
	--unit-only) unit_only=1 ;;
	*) pattern=$arg ;;
	esac
done

passed=0 failed=0 skipped=0
failed_names=()
log_dir=$BUILD/test-logs
mkdir -p "$log_dir"

# run_one NAME TIMEOUT CMD...: runs a test program, echoes its lines, tallies.
run_one() {
	local name=$1 limit=$2
	shift 2
	local out rc
	out=$log_dir/$(echo "$name" | tr '/' '_').out
	echo "# $name"
	timeout --kill-after=10 "$limit" "$@" >"$out" 2>"$out.err"
	rc=$?
	local ok=0 notok=0 skip=0 line
	while IFS= read -r line; do
		case $line in
		"not ok"*) notok=$((notok + 1)); failed_names+=("$line") ;;
		"ok"*"# SKIP"*) skip=$((skip + 1)) ;;
		"ok"*) ok=$((ok + 1)) ;;
		esac
		echo "$line"
	done <"$out"
	if [ "$notok" -gt 0 ] || [ "$rc" -ne 0 ]; then
		sed 's/^/    /' "$out.err" | tail -n 60
	fi
	if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
		# A crash or timeout after its last report is still a failure.
		local why="exited $rc"
		[ "$rc" -eq 124 ] && why="timed out after $limit"
		echo "not ok - $name: $why"
		failed_names+=("not ok - $name: $why")
		notok=1
	fi
	passed=$((passed + ok)) failed=$((failed + notok)) skipped=$((skipped + skip))
}

matches() { [ -z "$pattern" ] || [[ $1 == *$pattern* ]]; }

for bin in "$BUILD"/tests/test_*; do
	[ -x "$bin" ] || continue
	case $bin in *.d) continue ;; esac
	matches "$bin" || continue
	run_one "unit/$(basename "$bin")" 600 "$bin"
done

if [ "$unit_only" -eq 0 ]; then
	for script in tests/integration/*.sh; do
		[ -f "$script" ] || continue
		matches "$script" || continue
		run_one "integration/$(basename "$script" .sh)" 1200 bash "$script"
	done
	for script in tests/browser/*.test.mjs; do
		[ -f "$script" ] || continue
		matches "$script" || continue
		run_one "browser/$(basename "$script" .test.mjs)" 600 node "$script"
	done
fi

if [ "${#failed_names[@]}" -gt 0 ]; then
	echo "# failures:"
	printf '#   %s\n' "${failed_names[@]}"
fi
# Inside tests/run-all.sh the tally is labelled; only the last line of the
# whole run stands alone.
echo "${TEST_PASS_LABEL:+# $TEST_PASS_LABEL: }$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
