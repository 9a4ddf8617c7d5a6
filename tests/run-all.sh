#!/usr/bin/env bash
# make test: three passes and one closing tally.
#   1. the suite on build/ (tests/run.sh)
#   2. the same suite on build/san/ (ASan + UBSan, leak checking on)
#   3. every fuzz target for $FUZZ_SECONDS, past findings replayed first
#   tests/run-all.sh build/fuzz/fuzz_*
set -u
cd "$(dirname "$0")/.." || exit 2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
total_passed=0 total_failed=0 total_skipped=0
status=0

# tally LOG: adds the labelled tally line of a pass to the totals.
tally() {
	local line p f s
	line=$(grep -E '^# [a-z ]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	s=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
	if [ -z "$p" ]; then
		echo "not ok - $2: the pass ended without its tally"
		total_failed=$((total_failed + 1))
		return
	fi
	total_passed=$((total_passed + p)) total_failed=$((total_failed + f))
	total_skipped=$((total_skipped + ${s:-0}))
}

mkdir -p build
echo "### pass 1: normal build"
TEST_PASS_LABEL="normal build" BUILD=build SANITIZE=0 tests/run.sh | tee build/test-pass1.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
tally build/test-pass1.log "normal build"

echo "### pass 2: ASan + UBSan build"
TEST_PASS_LABEL="sanitizers" BUILD=build/san SANITIZE=1 tests/run.sh | tee build/test-pass2.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
tally build/test-pass2.log "sanitizers"

echo "### pass 3: fuzz targets, ${FUZZ_SECONDS:-15} s each"
TEST_PASS_LABEL="fuzzing" tests/fuzz/run.sh "$@" | tee build/test-pass3.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
tally build/test-pass3.log "fuzzing"

echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
[ $status -eq 0 ] && [ $total_failed -eq 0 ]
