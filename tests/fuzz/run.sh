#!/usr/bin/env bash
# make fuzz / make fuzz-smoke: runs each fuzz target given for
# $FUZZ_SECONDS seconds on its seed corpus: the small files checked in under
# tests/fuzz/corpus/NAME/ plus what tests/fuzz/seed_NAME.sh generates from
# test fixtures. Past findings in tests/fuzz/regressions/NAME/ are replayed
# first and must pass. The corpus grows in build/fuzz/corpus/NAME/; crashes are
# written to build/fuzz/findings/NAME/. Prints TAP lines and the tally.
#   tests/fuzz/run.sh build/fuzz/fuzz_NAME...
set -u
cd "$(dirname "$0")/../.." || exit 2
secs=${FUZZ_SECONDS:-60}
passed=0 failed=0
for bin in "$@"; do
	name=$(basename "$bin")
	name=${name#fuzz_}
	corpus=build/fuzz/corpus/$name
	findings=build/fuzz/findings/$name
	log=build/fuzz/$name.log
	mkdir -p "$corpus" "$findings"
	if [ -d "tests/fuzz/corpus/$name" ]; then
		cp -n "tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null || true
	fi
	if [ -x "tests/fuzz/seed_$name.sh" ] && ! "tests/fuzz/seed_$name.sh" "$corpus" >"$log" 2>&1; then
		echo "not ok - fuzz $name: seed script failed (see $log)"
		failed=$((failed + 1))
		continue
	fi
	# Every crash found so far is replayed first: a regression test.
	if [ -d "tests/fuzz/regressions/$name" ] &&
		! "$bin" "tests/fuzz/regressions/$name"/* >>"$log" 2>&1; then
		echo "not ok - fuzz $name: a past finding crashes again (tests/fuzz/regressions/$name, log $log)"
		failed=$((failed + 1))
		continue
	fi
	if "$bin" -max_total_time="$secs" -max_len=65536 -artifact_prefix="$findings/" \
		-print_final_stats=1 "$corpus" >>"$log" 2>&1; then
		echo "ok - fuzz $name: $secs s, $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs, corpus $(find "$corpus" -type f | wc -l) files"
		passed=$((passed + 1))
	else
		echo "not ok - fuzz $name: finding in $findings (log $log)"
		tail -n 30 "$log" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "${TEST_PASS_LABEL:+# $TEST_PASS_LABEL: }$passed passed, $failed failed"
[ "$failed" -eq 0 ]
