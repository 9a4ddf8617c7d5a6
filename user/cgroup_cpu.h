/* CPU limits of a cgroup: the CFS bandwidth quota (v2 cpu.max, v1
 * cpu.cfs_quota_us + cpu.cfs_period_us), the cpuset, and the effective limit
 * once every ancestor is taken into account: the kernel enforces each
 * level's quota, so the tightest one wins even when the leaf has none. */
#ifndef PODFLAME_CGROUP_CPU_H
#define PODFLAME_CGROUP_CPU_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

/* One level's quota. quota_us < 0: no limit ("max" / -1). */
struct cpu_quota {
	int64_t quota_us;
	uint64_t period_us;
};

/* v2 cpu.max: "max 100000" or "50000 100000" (the period is optional, as
 * the kernel accepts it on write). -EINVAL otherwise. */
int cpu_quota__parse_v2(const char *text, struct cpu_quota *q);
/* v1: cpu.cfs_quota_us ("-1" or microseconds) and cpu.cfs_period_us. */
int cpu_quota__parse_v1(const char *quota_text, const char *period_text, struct cpu_quota *q);
/* quota/period in CPUs; 0 when unlimited. */
double cpu_quota__cpus(const struct cpu_quota *q);
bool cpu_quota__limited(const struct cpu_quota *q);

/* Counts the CPUs of a kernel cpu list ("0-3,8,10-11\n"); "" is 0.
 * -EINVAL on malformed text or CPU numbers past 1<<20. */
int cpulist__count(const char *text, unsigned *count);

struct cpu_limit {
	int version; /* hierarchy read: 1 (v1 cpu controller) or 2 */
	/* The cgroup's own quota: what Go 1.25 and automaxprocs read. */
	struct cpu_quota leaf;
	/* The smallest quota/period over the cgroup and its ancestors, and
	 * the directory that sets it ("" when no level has a quota). */
	struct cpu_quota tightest;
	char tightest_dir[PATH_MAX];
	unsigned cpuset_cpus; /* CPUs in the cgroup's cpuset; 0 unknown */
	/* min(tightest quota, cpuset) in CPUs, a cpuset of every online CPU
	 * not counting; 0 when neither limits. */
	double cpus;
};

/* Where one cgroup is, for its CPU limits. */
struct cpu_cgroup_dirs {
	/* The hierarchy that holds the cpu controller: 1 (a v1 mount with
	 * "cpu") or 2 (cgroup2; levels where the controller is not enabled
	 * have no cpu.max and so no quota). */
	int version;
	char cpu_mount[PATH_MAX], cpu_dir[PATH_MAX];
	/* The hierarchy with cpuset; "" when unknown. */
	char cpuset_mount[PATH_MAX], cpuset_dir[PATH_MAX];
};

/* Reads the limit of the cgroup at d, walking from d->cpu_dir up to its
 * mount. -ENOENT when cpu_dir does not exist, -EXDEV when a dir is not under
 * its mount. An unreadable or malformed quota at a level counts as no limit
 * at that level; cpuset_cpus is 0 when no level says. */
int cpu_limit__read(const struct cpu_cgroup_dirs *d, struct cpu_limit *out);

/* The CPUs of the nearest level from dir up to mount that has a cpuset
 * file (v2 cpuset.cpus.effective, v1 cpuset.effective_cpus). -ENOENT. */
int cpuset__read(const char *mount, const char *dir, unsigned *count);

#endif
