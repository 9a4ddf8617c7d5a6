/* Kubelet cgroup layouts of both drivers, built as directory trees. The
 * integration test pods_targets.sh does the same with real cgroups. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "pods.h"

#define UID1 "3f1c0d6e-1a2b-4c3d-8e9f-0123456789ab"
#define UID1_ "3f1c0d6e_1a2b_4c3d_8e9f_0123456789ab"
#define UID2 "3f1c0d6e-ffff-4c3d-8e9f-0123456789ab"
#define UID2_ "3f1c0d6e_ffff_4c3d_8e9f_0123456789ab"
#define UID3 "99999999-0000-1111-2222-333333333333"
#define CID1 "9ab3c1d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f90001"
#define CID2 "9ab3c1d2e4f5ffffc8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f90002"
#define CID3 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define CID4 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static char root[64];

static void mk(const char *rel)
{
	char path[512], *slash;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	mkdir(path, 0755);
}

static void parses_pod_names(void)
{
	char uid[POD_UID_MAX + 1];
	enum pod_driver d;

	CHECK_INT_EQ(pods__parse_pod_dir("pod" UID1, uid, &d), 0);
	CHECK_STR_EQ(uid, UID1);
	CHECK_INT_EQ(d, POD_DRIVER_CGROUPFS);
	CHECK_INT_EQ(pods__parse_pod_dir("kubepods-burstable-pod" UID1_ ".slice", uid, &d), 0);
	CHECK_STR_EQ(uid, UID1);
	CHECK_INT_EQ(d, POD_DRIVER_SYSTEMD);
	CHECK_INT_EQ(pods__parse_pod_dir("kubepods-pod" UID2_ ".slice", uid, &d), 0);
	CHECK_STR_EQ(uid, UID2);
	/* kind's nested kubelet. */
	CHECK_INT_EQ(pods__parse_pod_dir("kubelet-kubepods-besteffort-pod" UID1_ ".slice", uid, &d),
		     0);
	/* Static pods: a 32-hex hash. */
	CHECK_INT_EQ(pods__parse_pod_dir("pod0123456789abcdef0123456789abcdef", uid, &d), 0);
	CHECK_STR_EQ(uid, "0123456789abcdef0123456789abcdef");
	CHECK_INT_EQ(pods__parse_pod_dir("pod" UID1_, uid, &d), -EINVAL);
	CHECK_INT_EQ(pods__parse_pod_dir("kubepods-pod" UID1 ".slice", uid, &d), -EINVAL);
	CHECK_INT_EQ(pods__parse_pod_dir("system-pod" UID1_ ".slice", uid, &d), -EINVAL);
	CHECK_INT_EQ(pods__parse_pod_dir("kubepods-burstable.slice", uid, &d), -EINVAL);
	CHECK_INT_EQ(pods__parse_pod_dir("podman", uid, &d), -EINVAL);
	CHECK_INT_EQ(pods__parse_pod_dir("pod", uid, &d), -EINVAL);
	CHECK_INT_EQ(pods__parse_pod_dir("kubepods-pod.slice", uid, &d), -EINVAL);
}

static void parses_container_names(void)
{
	char id[POD_ID_MAX + 1], rt[16];

	CHECK_INT_EQ(pods__parse_container_dir("cri-containerd-" CID1 ".scope", id, rt), 0);
	CHECK_STR_EQ(id, CID1);
	CHECK_STR_EQ(rt, "cri-containerd");
	CHECK_INT_EQ(pods__parse_container_dir("crio-" CID1 ".scope", id, rt), 0);
	CHECK_STR_EQ(rt, "crio");
	CHECK_INT_EQ(pods__parse_container_dir("docker-" CID1 ".scope", id, rt), 0);
	CHECK_STR_EQ(rt, "docker");
	CHECK_INT_EQ(pods__parse_container_dir(CID1, id, rt), 0);
	CHECK_STR_EQ(rt, "");
	CHECK_INT_EQ(pods__parse_container_dir("crio-" CID1, id, rt), 0); /* cgroupfs + CRI-O */
	CHECK_INT_EQ(pods__parse_container_dir("crio-conmon-" CID1 ".scope", id, rt), -EINVAL);
	CHECK_INT_EQ(pods__parse_container_dir("cgroup.procs", id, rt), -EINVAL);
	CHECK_INT_EQ(pods__parse_container_dir("init.scope", id, rt), -EINVAL);
	CHECK_INT_EQ(pods__parse_container_dir("abc", id, rt), -EINVAL);
	CHECK_INT_EQ(pods__parse_container_dir(CID1 "00", id, rt), -EINVAL); /* 66 hex */
}

static void normalizes_ids(void)
{
	char hex[POD_ID_MAX + 1];

	CHECK_INT_EQ(pods__normalize_container_id("containerd://" CID1, hex), 0);
	CHECK_STR_EQ(hex, CID1);
	CHECK_INT_EQ(pods__normalize_container_id("cri-o://9AB3C1D2E4F5", hex), 0);
	CHECK_STR_EQ(hex, "9ab3c1d2e4f5");
	CHECK_INT_EQ(pods__normalize_container_id("docker://9ab3c1d2e4f", hex), -EINVAL);
	CHECK_INT_EQ(pods__normalize_container_id("9ab3c1d2e4fz", hex), -EINVAL);
	CHECK_INT_EQ(pods__normalize_container_id("", hex), -EINVAL);
}

/* One tree with both drivers' layouts side by side, as a test can build. */
static void build_layouts(void)
{
	/* systemd driver, burstable pod with two containers (containerd), a
	 * guaranteed pod (no qos level) with a CRI-O container + conmon. */
	mk("nested/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID1_
	   ".slice/cri-containerd-" CID1 ".scope");
	mk("nested/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID1_
	   ".slice/cri-containerd-" CID2 ".scope");
	mk("nested/kubepods.slice/kubepods-pod" UID2_ ".slice/crio-" CID3 ".scope");
	mk("nested/kubepods.slice/kubepods-pod" UID2_ ".slice/crio-conmon-" CID3 ".scope");
	/* cgroupfs driver, besteffort pod, docker. */
	mk("kubepods/besteffort/pod" UID3 "/" CID4);
	mk("kubepods/besteffort/pod" UID3 "/not-a-container");
	mk("system.slice/containerd.service");
}

static void finds_both_drivers(void)
{
	struct pods *p = pods__new();
	const struct pod *pod;
	char want[512];

	REQUIRE(p);
	build_layouts();
	REQUIRE(pods__scan_tree(p, root, POD_TREE_V2) == 0);
	REQUIRE(pods__count(p) == 3);
	/* Sorted by UID. */
	pod = pods__at(p, 0);
	CHECK_STR_EQ(pod->uid, UID1);
	CHECK_INT_EQ(pod->qos, POD_QOS_BURSTABLE);
	CHECK_INT_EQ(pod->driver, POD_DRIVER_SYSTEMD);
	REQUIRE(pod->ncontainers == 2);
	CHECK_STR_EQ(pod->containers[0].id, CID1);
	CHECK_STR_EQ(pod->containers[0].runtime, "cri-containerd");
	snprintf(want, sizeof(want),
		 "%s/nested/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID1_
		 ".slice/cri-containerd-" CID1 ".scope",
		 root);
	CHECK_STR_EQ(pod->containers[0].path[POD_TREE_V2], want);
	CHECK(pod->containers[0].path[POD_TREE_V1_CPU] == NULL);
	pod = pods__at(p, 1);
	CHECK_STR_EQ(pod->uid, UID2);
	CHECK_INT_EQ(pod->qos, POD_QOS_GUARANTEED);
	REQUIRE(pod->ncontainers == 1); /* conmon is not a container */
	CHECK_STR_EQ(pod->containers[0].runtime, "crio");
	pod = pods__at(p, 2);
	CHECK_STR_EQ(pod->uid, UID3);
	CHECK_INT_EQ(pod->qos, POD_QOS_BESTEFFORT);
	CHECK_INT_EQ(pod->driver, POD_DRIVER_CGROUPFS);
	REQUIRE(pod->ncontainers == 1);
	CHECK_STR_EQ(pod->containers[0].id, CID4);
	pods__free(p);
}

/* The same pod in the cgroup2 tree and in the v1 cpu hierarchy is one pod
 * with a path in each. */
static void merges_hierarchies(void)
{
	struct pods *p = pods__new();
	char v1[128];
	const struct pod *pod;

	REQUIRE(p);
	REQUIRE(pods__scan_tree(p, root, POD_TREE_V2) == 0);
	snprintf(v1, sizeof(v1), "%s/kubepods", root); /* a subtree as a second "mount" */
	REQUIRE(pods__scan_tree(p, v1, POD_TREE_V1_CPU) == 0);
	REQUIRE(pods__count(p) == 3);
	pod = pods__at(p, 2);
	CHECK(pod->path[POD_TREE_V2] && pod->path[POD_TREE_V1_CPU]);
	CHECK(pod->containers[0].path[POD_TREE_V2] && pod->containers[0].path[POD_TREE_V1_CPU]);
	CHECK(pods__at(p, 0)->path[POD_TREE_V1_CPU] == NULL);
	pods__free(p);
}

static void finds_by_id(void)
{
	struct pods *p = pods__new();
	const struct pod *pod;
	const struct pod_container *c;

	REQUIRE(p);
	REQUIRE(pods__scan_tree(p, root, POD_TREE_V2) == 0);
	CHECK_INT_EQ(pods__find_pod(p, UID1, &pod), 0);
	CHECK(pod && !strcmp(pod->uid, UID1));
	CHECK_INT_EQ(pods__find_pod(p, UID1_, &pod), 0); /* underscores as in the slice */
	CHECK_INT_EQ(pods__find_pod(p, "3F1C0D6E-1A2B", &pod), 0);
	CHECK(pod && !strcmp(pod->uid, UID1));
	CHECK_INT_EQ(pods__find_pod(p, "3f1c0d6e", &pod), -ENOTUNIQ);
	CHECK_INT_EQ(pods__find_pod(p, "3f1c0d6", &pod), -ENOENT); /* too short */
	CHECK_INT_EQ(pods__find_pod(p, "aaaaaaaa-0000-1111-2222-333333333333", &pod), -ENOENT);

	CHECK_INT_EQ(pods__find_container(p, "containerd://" CID1, &pod, &c), 0);
	CHECK(c && !strcmp(c->id, CID1) && pod && !strcmp(pod->uid, UID1));
	CHECK_INT_EQ(pods__find_container(p, "9ab3c1d2e4f5a6", &pod, &c), 0);
	CHECK(c && !strcmp(c->id, CID1));
	CHECK_INT_EQ(pods__find_container(p, "9ab3c1d2e4f5", &pod, &c), -ENOTUNIQ);
	CHECK_INT_EQ(pods__find_container(p, "docker://" CID4, &pod, &c), 0);
	CHECK(pod && !strcmp(pod->uid, UID3));
	CHECK_INT_EQ(pods__find_container(p, "9ab3c1d2e4f", &pod, &c), -EINVAL);
	CHECK_INT_EQ(pods__find_container(p, "aaaaaaaaaaaaaaaa", &pod, &c), -ENOENT);
	pods__free(p);
}

int main(void)
{
	int status;
	char cmd[128];

	snprintf(root, sizeof(root), "/tmp/podflame-test-pods.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	CHECK_BEGIN("pods");
	RUN(parses_pod_names);
	RUN(parses_container_names);
	RUN(normalizes_ids);
	RUN(finds_both_drivers);
	RUN(merges_hierarchies);
	RUN(finds_by_id);
	status = CHECK_END();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", root);
	return status;
}
