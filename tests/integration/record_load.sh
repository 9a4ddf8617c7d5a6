#!/usr/bin/env bash
# Load: a 60 s `record -a -F 999` while the machine runs a busy
# multi-process workload (spinners with many distinct stacks, an
# allocation-heavy Go service, processes starting and exiting all the time).
# Its memory is bounded and every sample the kernel counted is in the
# profile. Its CPU is printed here but judged by make bench
# (tests/bench/bench_load.sh: the same load beside perf record, against the
# 2% budget), since a timed assertion would fail on a busy CI machine
# rather than on a regression. (The BPF program's time is charged to the
# sampled tasks, not to podflame: make bench measures it per sample.)
source "$(dirname "$0")/../lib.sh"
require_root
require_cmd go /usr/bin/time

SECONDS_LOAD=${LOAD_SECONDS:-60}
SPIN=$ROOT/$BUILD/tests/helpers/spin
go_build "$WORK/churn" "$ROOT/tests/go/churn" || { not_ok "build churn"; exit 1; }

end=$((SECONDS + SECONDS_LOAD + 5))
for _ in 1 2 3; do
	"$SPIN" -s $((SECONDS_LOAD + 5)) -v 60 >/dev/null &
	at_exit "kill $!"
done
GOMAXPROCS=4 "$WORK/churn" -s $((SECONDS_LOAD + 5)) -rate 20000 >/dev/null 2>&1 &
at_exit "kill $!"
# short-lived processes: a new one every ~50 ms, each spinning briefly
(while [ $SECONDS -lt $end ]; do "$SPIN" -s 0.03 >/dev/null; sleep 0.02; done) &
at_exit "kill $!"

/usr/bin/time -f '%U %S %M' -o "$WORK/time" \
	"$PODFLAME" record -a -F 999 -d "$SECONDS_LOAD" -o "$WORK/load.folded" 2>"$WORK/load.err"
rc=$?
check "exit 0" test $rc -eq 0
read -r user sys rss_kb <"$WORK/time"
cpu=$(awk -v u="$user" -v s="$sys" -v d="$SECONDS_LOAD" 'BEGIN { printf "%.2f", 100 * (u + s) / d }')
echo "    podflame: ${user}s user + ${sys}s system over ${SECONDS_LOAD}s = ${cpu}% of one core, peak RSS $((rss_kb / 1024)) MiB" >&2
grep "own CPU while sampling" "$WORK/load.err" >&2
check "own CPU while sampling reported" grep -q "own CPU while sampling: [0-9.]* s" "$WORK/load.err"
check "peak memory bounded: $((rss_kb / 1024)) MiB < 256 MiB" test "$rss_kb" -lt $((256 * 1024))
read -r taken counted inprofile <<<"$(sed -n 's/.*kernel: \([0-9]*\) target samples taken, \([0-9]*\) counted, \([0-9]*\) in the profile/\1 \2 \3/p' "$WORK/load.err")"
check "samples received match the kernel's count ($inprofile = $counted = $taken)" \
	sh -c "[ -n '$taken' ] && [ '$taken' = '$counted' ] && [ '$counted' = '$inprofile' ]"
check "the output holds every sample" test "$(folded_total "$WORK/load.folded")" = "$inprofile"
check "no losses" grep -q 'lost: none' "$WORK/load.err"
check "short-lived processes symbolized" \
	test "$(folded_matching "$WORK/load.folded" '^spin;.*podflame_spin_leaf')" -gt 0
# A kworker lives for a moment: its name must come with its samples.
check "kernel threads named, not numbered" \
	test "$(folded_matching "$WORK/load.folded" '^\[pid [0-9]*\];ret_from_fork[^;]*;ret_from_fork_\[k\];kthread_\[k\]')" -eq 0
finish
