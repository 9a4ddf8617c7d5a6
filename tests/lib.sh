# shellcheck shell=bash
# Sourced by integration tests: reporting, preconditions, fixtures.
# Reports are TAP-style lines that tests/run.sh tallies.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
ROOT=$PWD
source "$ROOT/tests/host.sh"
BUILD=${BUILD:-build}
PODFLAME=${PODFLAME:-$ROOT/$BUILD/podflame}
TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "/tmp/podflame-$TEST_NAME.XXXXXX")
export GOCACHE=${GOCACHE:-$ROOT/build/gocache} GOFLAGS=${GOFLAGS:-} GO111MODULE=${GO111MODULE:-off}
export GOTOOLCHAIN=local

T_FAILS=0
declare -a T_CLEANUPS=()

ok() { echo "ok - $TEST_NAME: $1"; }
not_ok() {
	echo "not ok - $TEST_NAME: $1"
	shift
	[ $# -gt 0 ] && echo "    $*" >&2
	T_FAILS=$((T_FAILS + 1))
}
skip() { echo "ok - $TEST_NAME: $1 # SKIP $2"; echo "skipped: $2" >&2; }
# check NAME CMD...: ok when CMD succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name" "command failed: $*"; fi
}

at_exit() { T_CLEANUPS+=("$1"); }
run_cleanups() {
	local i
	for ((i = ${#T_CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${T_CLEANUPS[$i]}" >/dev/null 2>&1; done
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap run_cleanups EXIT

# Preconditions: print why and exit 0 with a SKIP line when not met.
require_root() {
	if [ "$(id -u)" -ne 0 ]; then skip "$TEST_NAME" "needs root (BPF, perf events, cgroups)"; exit 0; fi
	if [ ! -r /sys/kernel/btf/vmlinux ]; then skip "$TEST_NAME" "kernel has no BTF"; exit 0; fi
}
require_cmd() {
	local c
	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1; then skip "$TEST_NAME" "$c not installed (scripts/install-deps.sh)"; exit 0; fi
	done
}

# new_cgroup REL: creates ROOT/REL on cgroup v2 (and removes it at exit).
new_cgroup() {
	local dir
	dir=$(cgroup2_root)/$1
	mkdir -p "$dir" || return 1
	at_exit "kill_cgroup '$dir'"
	echo "$dir"
}
kill_cgroup() {
	local dir=$1
	[ -d "$dir" ] || return 0
	find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r p; do kill -9 "$p" 2>/dev/null; done
	sleep 0.2
	find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
}
# start_in_cgroup DIR CMD...: runs CMD inside cgroup DIR in the background; sets REPLY to its pid.
start_in_cgroup() {
	local dir=$1
	shift
	bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$dir" "$@" >/dev/null &
	REPLY=$!
	at_exit "kill -9 $REPLY"
}
cgroup_usage_usec() { awk '$1 == "usage_usec" { print $2 }' "$1/cpu.stat"; }
# F x usage undercounts cpu-clock samples by the share the host stole (17%
# on a loaded host here). expected_samples F USEC BEFORE AFTER sets REPLY
# to F x usage scaled up by the stolen share of busy time between two
# busy_steal_ticks readings, and STEAL_PCT to that share.
expected_samples() {
	local f=$1 usec=$2
	STEAL_PCT=$(steal_pct "$3" "$4")
	REPLY=$(awk -v u="$usec" -v f="$f" -v p="$STEAL_PCT" 'BEGIN { printf "%d", u / 1e6 * f / (1 - p / 100) }')
}

# go_build OUT SRCDIR [FLAGS...]: builds a Go test program (cached by GOCACHE).
go_build() {
	local out=$1 src=$2
	shift 2
	(cd "$src" && go build -o "$out" "$@" .)
}

# folded_total FILE: sum of counts.
folded_total() { awk '{ s += $NF } END { printf "%d\n", s }' "$1"; }
# folded_matching FILE REGEX: samples whose stack matches REGEX.
folded_matching() { awk -v re="$2" '{ c = $NF; $NF = ""; if ($0 ~ re) s += c } END { printf "%d\n", s }' "$1"; }

# within_pct A B PCT: |A-B| <= PCT% of B
within_pct() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= b * p / 100) }'; }

finish() {
	[ "$T_FAILS" -eq 0 ]
}
