#!/usr/bin/env bash
# Kubelet cgroup layouts built as real cgroups on this machine, the way the
# kubelet and runtimes make them, nested under a per-test root (as kind
# nests kubepods): systemd driver in cgroup2 and mirrored in the v1 cpu
# hierarchy with a 0.5-CPU quota there (a hybrid host), cgroupfs driver in
# cgroup2 only (pure v2), and cgroupfs driver in the v1 cpu hierarchy only
# (a v1-only host). `targets` must find all three by pod UID and container
# ID with their limits and a Go process's GOMAXPROCS; `record --pod` and
# `record --container` must sample the processes placed in them.
source "$(dirname "$0")/../lib.sh"
require_root
require_cmd go node

V2=$(cgroup2_root)
V1=$(cgroup1_root cpu)
[ -n "$V2" ] || { skip "$TEST_NAME" "no cgroup2 mount"; exit 0; }
[ -n "$V1" ] || { skip "$TEST_NAME" "no v1 cpu hierarchy (pure v2 host): covered by unit tests"; exit 0; }

go_build "$WORK/gospin" "$ROOT/tests/go/spin" || { not_ok "build Go workload"; exit 1; }

UID_A=3f1c0d6e-1a2b-4c3d-8e9f-$(printf '%012x' $$)
UID_B=7d2e4f60-5b6c-4d7e-9f80-$(printf '%012x' $$)
UID_C=c0ffee00-1111-4222-8333-$(printf '%012x' $$)
hex64() { printf '%s%048x' "$1" $$; }
# A and A2 share 12 hex digits: a 12-digit prefix of them is ambiguous.
CID_A=$(hex64 aaaaaaaaaaaa1111)
CID_A2=$(hex64 aaaaaaaaaaaa2222)
CID_B=$(hex64 bbbbbbbbbbbb0000)
CID_C=$(hex64 cccccccccccc0000)
top=podflame-test-$$-pods
at_exit "kill_cgroup '$V2/$top'"
at_exit "kill_cgroup '$V1/$top'"

# A: systemd driver, burstable, cri-containerd; both hierarchies.
uid_a_=${UID_A//-/_}
pod_a=$top/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$uid_a_.slice
ctr_a=$pod_a/cri-containerd-$CID_A.scope
mkdir -p "$V2/$ctr_a" "$V2/$pod_a/cri-containerd-$CID_A2.scope" "$V1/$ctr_a" \
	"$V1/$pod_a/cri-containerd-$CID_A2.scope" "$V2/$pod_a/crio-conmon-$CID_A.scope"
echo 50000 >"$V1/$ctr_a/cpu.cfs_quota_us"
echo 100000 >"$V1/$ctr_a/cpu.cfs_period_us"
# B: cgroupfs driver, besteffort, CRI-O naming; cgroup2 only.
ctr_b=$top/kubepods/besteffort/pod$UID_B/crio-$CID_B
mkdir -p "$V2/$ctr_b"
# C: cgroupfs driver, guaranteed (no qos level), docker; v1 cpu only.
ctr_c=$top/kubepods/pod$UID_C/$CID_C
mkdir -p "$V1/$ctr_c"
echo 150000 >"$V1/$top/kubepods/pod$UID_C/cpu.cfs_quota_us"

# The Go process of A joins its container in both hierarchies, as runc does
# on a hybrid host. It waits before spinning so the records below see it.
GOMAXPROCS=64 bash -c 'echo $$ >"$1/cgroup.procs" && echo $$ >"$2/cgroup.procs" && exec "$3" -w 1 -s 60' \
	_ "$V2/$ctr_a" "$V1/$ctr_a" "$WORK/gospin" >/dev/null &
pid_a=$!
at_exit "kill -9 $pid_a"
bash -c 'echo $$ >"$1/cgroup.procs" && exec "$2" -s 60' _ "$V1/$ctr_c" "$WORK/gospin" >/dev/null &
pid_c=$!
at_exit "kill -9 $pid_c"
sleep 0.5

# jsq FILE EXPR: evaluates EXPR over the JSON document d.
jsq() { node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(eval(process.argv[2]))' "$1" "$2"; }
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; fi
}

"$PODFLAME" targets --json >"$WORK/all.json" 2>"$WORK/targets.err"
check "targets --json exits 0" test $? -eq 0
pod() { echo "d.pods.find(p => p.uid === '$1')"; }
check_eq "systemd pod found by UID with its qos and driver" \
	"$(jsq "$WORK/all.json" "[$(pod "$UID_A")].map(p => p.qos + ' ' + p.driver)[0]")" "burstable systemd"
check_eq "systemd pod: both containers, conmon excluded" \
	"$(jsq "$WORK/all.json" "$(pod "$UID_A").containers.map(c => c.runtime + ':' + c.id).join(' ')")" \
	"cri-containerd:$CID_A cri-containerd:$CID_A2"
check_eq "systemd pod: in cgroup2 and the v1 cpu hierarchy" \
	"$(jsq "$WORK/all.json" "[$(pod "$UID_A").cgroups.v2, $(pod "$UID_A").cgroups.v1_cpu].join(' ')")" \
	"$V2/$pod_a $V1/$pod_a"
check_eq "container A: 0.5 CPU from its v1 quota" \
	"$(jsq "$WORK/all.json" "$(pod "$UID_A").containers[0].cpu_limit")" "0.5"
check_eq "container A: its Go process, GOMAXPROCS 64 observed from env, recommend 1" \
	"$(jsq "$WORK/all.json" "(p => [p.pid, p.go, p.gomaxprocs, p.gomaxprocs_source, p.gomaxprocs_observed, p.recommended_gomaxprocs].join(' '))($(pod "$UID_A").containers[0].processes[0])")" \
	"$pid_a true 64 env true 1"
check_eq "cgroupfs pod (cgroup2 only): besteffort, CRI-O container" \
	"$(jsq "$WORK/all.json" "(p => [p.qos, p.driver, p.containers[0].runtime, p.containers[0].id, String(p.cgroups.v1_cpu)].join(' '))($(pod "$UID_B"))")" \
	"besteffort cgroupfs crio $CID_B null"
check_eq "cgroupfs pod (v1 only): guaranteed, 1.5 CPU on the pod, its process" \
	"$(jsq "$WORK/all.json" "(p => [p.qos, String(p.cgroups.v2), p.containers[0].cpu_limit, p.containers[0].processes.map(x => x.pid).join()].join(' '))($(pod "$UID_C"))")" \
	"guaranteed null 1.5 $pid_c"

# From a private cgroup namespace (a debug pod's default), podflame joins
# the host's: the process's own cgroup still resolves to its 0.5-CPU quota.
mkdir -p "$V2/$top/debugpod" "$V1/$top/debugpod"
bash -c 'echo $$ >"$1/cgroup.procs" && echo $$ >"$2/cgroup.procs" && exec unshare --cgroup "$3" targets --pod "$4" --json' \
	_ "$V2/$top/debugpod" "$V1/$top/debugpod" "$PODFLAME" "$UID_A" >"$WORK/ns.json" 2>"$WORK/ns.err"
check_eq "from a private cgroup namespace: the process's limit still resolves" \
	"$(jsq "$WORK/ns.json" "(p => [p.pid, p.recommended_gomaxprocs].join(' '))(d.pods[0].containers[0].processes[0])")" \
	"$pid_a 1"

"$PODFLAME" targets --pod "$UID_A" >"$WORK/a.txt"
check "targets --pod UID: text lists the pod, container, limit and process" \
	grep -q "pid $pid_a  gospin.*GOMAXPROCS=64.*recommended 1" "$WORK/a.txt"
check "targets --pod UID: only that pod" test "$(grep -c '^pod ' "$WORK/a.txt")" -eq 1
"$PODFLAME" targets --container "containerd://$CID_A" --json >"$WORK/c.json"
check_eq "targets --container containerd://ID: one container" \
	"$(jsq "$WORK/c.json" "d.pods.length + ' ' + d.pods[0].containers.map(c => c.id).join()")" "1 $CID_A"
"$PODFLAME" targets --pod "${uid_a_^^}" --json >"$WORK/u.json"
check_eq "pod UID with underscores and upper case" "$(jsq "$WORK/u.json" "d.pods[0].uid")" "$UID_A"

"$PODFLAME" targets --container "cri-o://${CID_A:0:13}" --json >"$WORK/p.json"
check_eq "a unique prefix of 13 hex digits resolves" "$(jsq "$WORK/p.json" "d.pods[0].containers[0].id")" "$CID_A"
"$PODFLAME" targets --container "${CID_B:0:11}" >/dev/null 2>"$WORK/short.err"
check "a prefix under 12 hex digits is a usage error (2)" test $? -eq 2
"$PODFLAME" targets --container "docker://0123456789abcdef" >/dev/null 2>"$WORK/missing.err"
rc=$?
check "unknown container: exit 1" test "$rc" -eq 1
check "unknown container: lists candidates" grep -q "container $CID_B (pod $UID_B)" "$WORK/missing.err"
"$PODFLAME" record --container "${CID_A:0:12}" -d 1 -o "$WORK/x.folded" >/dev/null 2>"$WORK/amb.err"
rc=$?
check "ambiguous container: exit 1" test "$rc" -eq 1
check "ambiguous container: lists both matches" \
	bash -c "grep -q 'ambiguous' '$WORK/amb.err' && grep -q '$CID_A ' '$WORK/amb.err' && grep -q '$CID_A2 ' '$WORK/amb.err'"
"$PODFLAME" record --pod "deadbeef-0000-4000-8000-000000000000" -d 1 -o "$WORK/x.folded" 2>"$WORK/nopod.err"
rc=$?
check "unknown pod: exit 1, with the pods there are" \
	bash -c "[ $rc -eq 1 ] && grep -q 'no such pod' '$WORK/nopod.err' && grep -q 'pod $UID_A (burstable)' '$WORK/nopod.err'"

# record --pod: the cgroup2 directory of the pod, perf's cgroup mode.
"$PODFLAME" record --pod "$UID_A" -d 3 -o "$WORK/pod.folded" 2>"$WORK/pod.err"
check "record --pod exits 0" test $? -eq 0
check "record --pod names the pod" grep -q "sampling pod $UID_A (cgroup $V2/$pod_a)" "$WORK/pod.err"
spin=$(folded_matching "$WORK/pod.folded" '^gospin;.*main\.spinLeaf')
check "record --pod sampled the Go process in its container ($spin samples in main.spinLeaf)" \
	test "$spin" -gt 10
other=$(awk '!/^gospin;/ { s += $NF } END { print s + 0 }' "$WORK/pod.folded")
check "record --pod sampled nothing else ($other samples)" test "$other" -eq 0

# record --container on the v1-only pod: its processes, with a warning.
"$PODFLAME" record --container "$CID_C" -d 2 -o "$WORK/c.folded" 2>"$WORK/cv1.err"
check "record --container (v1 only) exits 0" test $? -eq 0
check "record --container (v1 only) warns that new processes are missed" \
	grep -q "no cgroup2 directory" "$WORK/cv1.err"
spin=$(folded_matching "$WORK/c.folded" '^gospin;.*main\.spinLeaf')
check "record --container (v1 only) sampled its process ($spin samples)" test "$spin" -gt 10
finish
