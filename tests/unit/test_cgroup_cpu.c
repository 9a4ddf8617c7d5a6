/* CPU quotas, cpusets and effective limits, over real directory trees laid
 * out like cgroupfs (plain files: the reader only opens and reads them). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "cgroup_cpu.h"
#include "cgroup_proc.h"
#include "check.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[PATH_MAX * 2], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void dirs(struct cpu_cgroup_dirs *d, int version, const char *rel)
{
	memset(d, 0, sizeof(*d));
	d->version = version;
	snprintf(d->cpu_mount, sizeof(d->cpu_mount), "%s", root);
	snprintf(d->cpu_dir, sizeof(d->cpu_dir), "%s/%s", root, rel);
}

static void parses_v2_quota(void)
{
	struct cpu_quota q;

	CHECK_INT_EQ(cpu_quota__parse_v2("max 100000\n", &q), 0);
	CHECK(!cpu_quota__limited(&q));
	CHECK(cpu_quota__cpus(&q) == 0);
	CHECK_INT_EQ(cpu_quota__parse_v2("50000 100000\n", &q), 0);
	CHECK_INT_EQ(q.quota_us, 50000);
	CHECK(cpu_quota__cpus(&q) == 0.5);
	CHECK_INT_EQ(cpu_quota__parse_v2("150000 50000", &q), 0);
	CHECK(cpu_quota__cpus(&q) == 3.0);
	/* The period is optional on write; the kernel's default is 100 ms. */
	CHECK_INT_EQ(cpu_quota__parse_v2("250000", &q), 0);
	CHECK_INT_EQ(q.period_us, 100000);
	CHECK_INT_EQ(cpu_quota__parse_v2("max", &q), 0);
	CHECK(!cpu_quota__limited(&q));
	CHECK_INT_EQ(cpu_quota__parse_v2("", &q), -EINVAL);
	CHECK_INT_EQ(cpu_quota__parse_v2("0 100000", &q), -EINVAL);
	CHECK_INT_EQ(cpu_quota__parse_v2("-5 100000", &q), -EINVAL);
	CHECK_INT_EQ(cpu_quota__parse_v2("100000 0", &q), -EINVAL);
	CHECK_INT_EQ(cpu_quota__parse_v2("100000 100000 7", &q), -EINVAL);
	CHECK_INT_EQ(cpu_quota__parse_v2("maximum 100000", &q), -EINVAL);
	CHECK_INT_EQ(cpu_quota__parse_v2("99999999999999999999 100000", &q), -EINVAL);
	CHECK_INT_EQ(cpu_quota__parse_v2("100000 2000000", &q), -EINVAL); /* period > 1 s */
}

static void parses_v1_quota(void)
{
	struct cpu_quota q;

	CHECK_INT_EQ(cpu_quota__parse_v1("-1\n", "100000\n", &q), 0);
	CHECK(!cpu_quota__limited(&q));
	CHECK_INT_EQ(cpu_quota__parse_v1("50000\n", "100000\n", &q), 0);
	CHECK(cpu_quota__cpus(&q) == 0.5);
	CHECK_INT_EQ(cpu_quota__parse_v1("0", "100000", &q), -EINVAL);
	CHECK_INT_EQ(cpu_quota__parse_v1("-2", "100000", &q), -EINVAL);
	CHECK_INT_EQ(cpu_quota__parse_v1("100000", "", &q), -EINVAL);
	CHECK_INT_EQ(cpu_quota__parse_v1("1e5", "100000", &q), -EINVAL);
}

static void counts_cpu_lists(void)
{
	unsigned n = 99;

	CHECK_INT_EQ(cpulist__count("0-3,8,10-11\n", &n), 0);
	CHECK_INT_EQ(n, 7);
	CHECK_INT_EQ(cpulist__count("5", &n), 0);
	CHECK_INT_EQ(n, 1);
	CHECK_INT_EQ(cpulist__count("\n", &n), 0);
	CHECK_INT_EQ(n, 0);
	CHECK_INT_EQ(cpulist__count("3-1", &n), -EINVAL);
	CHECK_INT_EQ(cpulist__count("0-", &n), -EINVAL);
	CHECK_INT_EQ(cpulist__count("a", &n), -EINVAL);
	CHECK_INT_EQ(cpulist__count("0-99999999", &n), -EINVAL);
}

/* kubepods (2 CPUs) > pod (none) > container (0.5): the container's own
 * quota is the tightest. */
static void nested_leaf_tightest(void)
{
	struct cpu_cgroup_dirs d;
	struct cpu_limit l;
	char want[PATH_MAX * 2];

	put("a/kubepods/cpu.max", "200000 100000\n");
	put("a/kubepods/pod1/cpu.max", "max 100000\n");
	put("a/kubepods/pod1/ctr/cpu.max", "50000 100000\n");
	dirs(&d, 2, "a/kubepods/pod1/ctr");
	REQUIRE(cpu_limit__read(&d, &l) == 0);
	CHECK(cpu_quota__cpus(&l.leaf) == 0.5);
	CHECK(cpu_quota__cpus(&l.tightest) == 0.5);
	CHECK(l.cpus == 0.5);
	snprintf(want, sizeof(want), "%s/a/kubepods/pod1/ctr", root);
	CHECK_STR_EQ(l.tightest_dir, want);
}

/* An ancestor tighter than the leaf (what Go 1.25 misses): 1 CPU on the pod,
 * 3 on the container. */
static void nested_ancestor_tightest(void)
{
	struct cpu_cgroup_dirs d;
	struct cpu_limit l;
	char want[PATH_MAX * 2];

	put("b/kubepods/pod2/cpu.cfs_quota_us", "100000\n");
	put("b/kubepods/pod2/cpu.cfs_period_us", "100000\n");
	put("b/kubepods/pod2/ctr/cpu.cfs_quota_us", "300000\n");
	put("b/kubepods/pod2/ctr/cpu.cfs_period_us", "100000\n");
	put("b/kubepods/cpu.cfs_quota_us", "-1\n");
	put("b/kubepods/cpu.cfs_period_us", "100000\n");
	dirs(&d, 1, "b/kubepods/pod2/ctr");
	REQUIRE(cpu_limit__read(&d, &l) == 0);
	CHECK(cpu_quota__cpus(&l.leaf) == 3.0);
	CHECK(cpu_quota__cpus(&l.tightest) == 1.0);
	CHECK(l.cpus == 1.0);
	snprintf(want, sizeof(want), "%s/b/kubepods/pod2", root);
	CHECK_STR_EQ(l.tightest_dir, want);
}

/* A cpuset of 1 CPU under a 4-CPU quota: the cpuset is the limit. The
 * cpuset file is found on an ancestor when the leaf has none. A cpuset of
 * every online CPU limits nothing. */
static void cpuset_smaller_than_quota(void)
{
	struct cpu_cgroup_dirs d;
	struct cpu_limit l;

	put("c/pod/ctr/cpu.max", "400000 100000\n");
	char all[32];
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	put("c/pod/cpuset.cpus.effective", "3\n");
	dirs(&d, 2, "c/pod/ctr");
	snprintf(d.cpuset_mount, sizeof(d.cpuset_mount), "%s", root);
	snprintf(d.cpuset_dir, sizeof(d.cpuset_dir), "%s/c/pod/ctr", root);
	REQUIRE(cpu_limit__read(&d, &l) == 0);
	CHECK(cpu_quota__cpus(&l.tightest) == 4.0);
	CHECK_INT_EQ(l.cpuset_cpus, 1);
	if (online > 1)
		CHECK(l.cpus == 1.0);
	snprintf(all, sizeof(all), "0-%ld\n", online - 1);
	put("c/pod/cpuset.cpus.effective", all);
	put("c/pod/ctr/cpu.max", "max\n");
	REQUIRE(cpu_limit__read(&d, &l) == 0);
	CHECK_INT_EQ(l.cpuset_cpus, online);
	CHECK(l.cpus == 0);
}

/* v2 directories where the cpu controller is not enabled have no cpu.max:
 * no limit, not an error. A missing directory is an error. */
static void missing_files(void)
{
	struct cpu_cgroup_dirs d;
	struct cpu_limit l;

	put("d/pod/ctr/cgroup.procs", "");
	dirs(&d, 2, "d/pod/ctr");
	REQUIRE(cpu_limit__read(&d, &l) == 0);
	CHECK(!cpu_quota__limited(&l.leaf));
	CHECK(!cpu_quota__limited(&l.tightest));
	CHECK(l.cpus == 0);
	CHECK_STR_EQ(l.tightest_dir, "");
	CHECK_INT_EQ(l.cpuset_cpus, 0);
	/* A malformed file at one level is no limit at that level. */
	put("d/pod/cpu.max", "garbage\n");
	put("d/cpu.max", "100000 100000\n");
	REQUIRE(cpu_limit__read(&d, &l) == 0);
	CHECK(l.cpus == 1.0);
	dirs(&d, 2, "d/pod/nonexistent");
	CHECK_INT_EQ(cpu_limit__read(&d, &l), -ENOENT);
	dirs(&d, 2, "d/pod");
	strcpy(d.cpu_dir, "/etc");
	CHECK_INT_EQ(cpu_limit__read(&d, &l), -EXDEV);
}

static void parses_proc_cgroup(void)
{
	static const char hybrid[] = "12:name=systemd:/kubepods/burstable/podx/abc\n"
				     "4:cpu,cpuacct:/kubepods/burstable/podx/abc\n"
				     "3:cpuset:/kubepods/burstable/podx/abc\n"
				     "0::/kubepods/burstable/podx/abc\n";
	static const char v2[] = "0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-ab.scope\n";
	static const char colon[] = "0::/weird:name\n";
	struct proc_cgroup pc;

	REQUIRE(proc_cgroup__parse(hybrid, &pc) == 0);
	CHECK(pc.has_v2 && pc.has_cpu && pc.has_cpuset && pc.has_cpuacct);
	CHECK_STR_EQ(pc.cpu, "/kubepods/burstable/podx/abc");
	CHECK_STR_EQ(pc.v2, "/kubepods/burstable/podx/abc");
	REQUIRE(proc_cgroup__parse(v2, &pc) == 0);
	CHECK(pc.has_v2 && !pc.has_cpu && !pc.has_cpuset);
	CHECK_STR_EQ(pc.v2, "/kubepods.slice/kubepods-pod1.slice/cri-containerd-ab.scope");
	REQUIRE(proc_cgroup__parse(colon, &pc) == 0);
	CHECK_STR_EQ(pc.v2, "/weird:name");
	/* cpu alone (not cpuacct, not cpuset) and the last line unterminated. */
	REQUIRE(proc_cgroup__parse("2:cpuacct:/x\n1:cpu:/y", &pc) == 0);
	CHECK_STR_EQ(pc.cpu, "/y");
	CHECK_STR_EQ(pc.cpuacct, "/x");
	CHECK_INT_EQ(proc_cgroup__parse("", &pc), -EINVAL);
	CHECK_INT_EQ(proc_cgroup__parse("nonsense\n1:cpu:relative\n", &pc), -EINVAL);
}

static void joins_with_mount_roots(void)
{
	char abs[PATH_MAX];

	CHECK_INT_EQ(cgroup__join("/sys/fs/cgroup", "/", "/kubepods/a", abs, sizeof(abs)), 0);
	CHECK_STR_EQ(abs, "/sys/fs/cgroup/kubepods/a");
	CHECK_INT_EQ(cgroup__join("/sys/fs/cgroup", "/", "/", abs, sizeof(abs)), 0);
	CHECK_STR_EQ(abs, "/sys/fs/cgroup");
	/* A container's bind mount of its own subtree. */
	CHECK_INT_EQ(cgroup__join("/sys/fs/cgroup", "/kubepods/a", "/kubepods/a/sub", abs,
				  sizeof(abs)),
		     0);
	CHECK_STR_EQ(abs, "/sys/fs/cgroup/sub");
	CHECK_INT_EQ(cgroup__join("/sys/fs/cgroup", "/kubepods/a", "/kubepods/ab", abs,
				  sizeof(abs)),
		     -EXDEV);
	/* Another cgroup namespace's process. */
	CHECK_INT_EQ(cgroup__join("/sys/fs/cgroup", "/", "/../../x", abs, sizeof(abs)), -EXDEV);
}

static void process_dirs_on_hybrid_and_v2(void)
{
	static const char hybrid_text[] =
		"31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu,cpuacct\n"
		"33 30 0:30 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,cpuset\n"
		"40 30 0:37 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";
	static const char ns_text[] = "25 1 0:22 /kubepods/pod1/c1 /sys/fs/cgroup rw - cgroup2 "
				      "cgroup2 rw\n";
	struct cgroup_mounts m;
	struct proc_cgroup pc;
	struct cpu_cgroup_dirs d;

	REQUIRE(cgroup_mounts__parse(&m, hybrid_text, sizeof(hybrid_text) - 1) == 0);
	CHECK_STR_EQ(m.v1_cpuacct, "/sys/fs/cgroup/cpu");
	REQUIRE(proc_cgroup__parse("4:cpu,cpuacct:/k/p\n3:cpuset:/k\n0::/k/p\n", &pc) == 0);
	REQUIRE(proc_cgroup__cpu_dirs(&m, &pc, &d) == 0);
	CHECK_INT_EQ(d.version, 1);
	CHECK_STR_EQ(d.cpu_dir, "/sys/fs/cgroup/cpu/k/p");
	CHECK_STR_EQ(d.cpuset_dir, "/sys/fs/cgroup/cpuset/k");
	/* Pure v2: the cpu controller's directory is the cgroup2 one. */
	REQUIRE(proc_cgroup__parse("0::/k/p\n", &pc) == 0);
	REQUIRE(proc_cgroup__cpu_dirs(&m, &pc, &d) == 0);
	CHECK_INT_EQ(d.version, 2);
	CHECK_STR_EQ(d.cpu_dir, "/sys/fs/cgroup/unified/k/p");
	CHECK_STR_EQ(d.cpuset_dir, "/sys/fs/cgroup/unified/k/p");
	/* Mount root from a container's cgroup namespace view. */
	REQUIRE(cgroup_mounts__parse(&m, ns_text, sizeof(ns_text) - 1) == 0);
	CHECK_STR_EQ(m.v2_root, "/kubepods/pod1/c1");
	REQUIRE(proc_cgroup__parse("0::/kubepods/pod1/c1\n", &pc) == 0);
	REQUIRE(proc_cgroup__cpu_dirs(&m, &pc, &d) == 0);
	CHECK_STR_EQ(d.cpu_dir, "/sys/fs/cgroup");
	REQUIRE(proc_cgroup__parse("0::/elsewhere\n", &pc) == 0);
	CHECK_INT_EQ(proc_cgroup__cpu_dirs(&m, &pc, &d), -EXDEV);
	memset(&m, 0, sizeof(m));
	CHECK_INT_EQ(proc_cgroup__cpu_dirs(&m, &pc, &d), -ENODEV);
}

/* In a debug pod: the runtime's cgroupfs shows the pod's own subtree, a
 * hostPath volume shows the host's whole hierarchy; the whole one wins,
 * whatever the order. */
static void prefers_whole_hierarchy_mounts(void)
{
	static const char pod[] =
		"1200 1100 0:30 /kubepods.slice/kubepods-pod1.slice/cri-containerd-ab.scope "
		"/sys/fs/cgroup ro - cgroup2 cgroup rw\n"
		"1300 1100 0:30 / /host/sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
		"1400 1100 0:30 /kubepods.slice /mnt/other rw - cgroup2 cgroup2 rw\n";
	struct cgroup_mounts m;

	REQUIRE(cgroup_mounts__parse(&m, pod, sizeof(pod) - 1) == 0);
	CHECK_STR_EQ(m.v2, "/host/sys/fs/cgroup");
	CHECK_STR_EQ(m.v2_root, "/");
}

static void parses_v1_cpu_stat(void)
{
	struct cgroup_cpu_stat st;

	CHECK_INT_EQ(cgroup__parse_cpu_stat("nr_periods 53\nnr_throttled 24\n"
					    "throttled_time 1015784375\nnr_bursts 0\n",
					    &st),
		     0);
	CHECK_INT_EQ(st.nr_periods, 53);
	CHECK_INT_EQ(st.nr_throttled, 24);
	CHECK_INT_EQ(st.throttled_usec, 1015784);
	CHECK(st.has_throttling);
	CHECK(!st.has_usage);
}

static void cleanup(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", root);
}

int main(void)
{
	int status;

	snprintf(root, sizeof(root), "/tmp/podflame-test-cgroup-cpu.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	CHECK_BEGIN("cgroup_cpu");
	RUN(parses_v2_quota);
	RUN(parses_v1_quota);
	RUN(counts_cpu_lists);
	RUN(nested_leaf_tightest);
	RUN(nested_ancestor_tightest);
	RUN(cpuset_smaller_than_quota);
	RUN(missing_files);
	RUN(parses_proc_cgroup);
	RUN(joins_with_mount_roots);
	RUN(process_dirs_on_hybrid_and_v2);
	RUN(prefers_whole_hierarchy_mounts);
	RUN(parses_v1_cpu_stat);
	status = CHECK_END();
	cleanup();
	return status;
}
