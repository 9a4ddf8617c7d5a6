# shellcheck shell=bash
# Sourced by tests/lib.sh and benchmarks (no side effects): facts about the
# host — where cgroups are mounted, and the share of busy CPU time the VM's
# host took for other work (steal time). cpu-clock events count that time;
# a cgroup's usage_usec and a task's CPU time leave it out (paravirt steal
# accounting).

# cgroup v2 mount point, from mountinfo (never hard-coded).
cgroup2_root() { awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo; }
# v1 mount of a controller (e.g. cpu), if any.
cgroup1_root() { awk -v c="$1" '$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $5; exit } }' /proc/self/mountinfo; }

# busy_steal_ticks: the machine's busy and steal ticks so far (/proc/stat).
busy_steal_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $9 }' /proc/stat; }
# steal_pct BEFORE AFTER: the stolen share (%) of busy time between two
# busy_steal_ticks readings, one decimal.
steal_pct() {
	local b0 s0 b1 s1
	read -r b0 s0 <<<"$1"
	read -r b1 s1 <<<"$2"
	awk -v b=$((b1 - b0)) -v s=$((s1 - s0)) 'BEGIN { printf "%.1f", (b > 0 ? 100 * s / b : 0) }'
}
