/* cgroup filesystems: where they are mounted (from mountinfo, never assumed),
 * resolving a user's cgroup path, and reading CPU accounting. Works on pure
 * v2 and on hybrid hosts (v2 for membership, v1 for the cpu controller). */
#ifndef PODFLAME_CGROUP_H
#define PODFLAME_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cgroup_mounts {
	char v2[PATH_MAX]; /* cgroup2 mount point, "" when none */
	char v1_cpu[PATH_MAX]; /* v1 hierarchy with the cpu controller, "" when none */
	char v1_cpuset[PATH_MAX]; /* v1 hierarchy with cpuset, "" when none */
	char v1_cpuacct[PATH_MAX]; /* v1 hierarchy with cpuacct, "" when none */
	/* The cgroup each mount shows as its root (mountinfo's 4th field):
	 * "/" on the host; a container with its own cgroup namespace or a
	 * bind mount of a subtree shows a deeper one. /proc/PID/cgroup paths
	 * are made relative to it. */
	char v2_root[PATH_MAX], v1_cpu_root[PATH_MAX], v1_cpuset_root[PATH_MAX],
		v1_cpuacct_root[PATH_MAX];
};

/* Parses mountinfo text (proc(5) format; octal escapes in paths decoded).
 * 0, or -ENOENT when no cgroup filesystem is mounted. */
int cgroup_mounts__parse(struct cgroup_mounts *m, const char *text, size_t len);
/* Reads /proc/self/mountinfo. */
int cgroup_mounts__read(struct cgroup_mounts *m);

/* A user's v2 cgroup argument, absolute ("/sys/fs/cgroup/x") or relative to
 * the v2 mount ("kubepods.slice/x"), to an absolute directory path.
 * -ENOENT no such cgroup, -ENOTDIR not a directory, -ENODEV no v2 mount,
 * -EXDEV an absolute path outside the v2 mount. */
int cgroup__resolve_v2(const struct cgroup_mounts *m, const char *arg, char *abs, size_t cap);

/* Joins a mount point and a cgroup path as /proc/PID/cgroup prints it
 * ("/kubepods/pod1/abc"), the mount's root stripped. -EXDEV when the path is
 * outside what the mount shows (another cgroup namespace: "/../x"),
 * -ENAMETOOLONG. Does not check that the directory exists. */
int cgroup__join(const char *mount, const char *mount_root, const char *cgpath, char *abs,
		 size_t cap);

struct cgroup_cpu_stat {
	uint64_t usage_usec, user_usec, system_usec;
	uint64_t nr_periods, nr_throttled, throttled_usec;
	bool has_usage; /* v2 always; v1's cpu controller has no usage here */
	bool has_throttling; /* a bandwidth (quota) controller reported */
};

/* Parses a cpu.stat file's text, v2 (usage_usec..., throttled_usec) or v1
 * cpu controller (nr_periods, nr_throttled, throttled_time in ns, stored
 * here in usec). Unknown keys are ignored; -EINVAL when no key is known. */
int cgroup__parse_cpu_stat(const char *text, struct cgroup_cpu_stat *st);
/* Reads <dir>/cpu.stat of a v2 directory or a v1 cpu-controller directory. */
int cgroup__read_cpu_stat(const char *dir, struct cgroup_cpu_stat *st);

/* Joins the cgroup namespace of pid (1: the host's, when our PID namespace
 * is the host's, as in a hostPID debug pod; or 2, kthreadd, whose links
 * root can read even when init's are closed), so /proc/PID/cgroup of every
 * process reads as host paths. 1 when it switched, 0 when already there or
 * when pid's namespace cannot be seen, -errno (-EPERM without
 * CAP_SYS_ADMIN). Must run before threads are created. */
int cgroup__enter_ns_of(int pid);

/* The processes (tgids) in dir and every cgroup below it, from each level's
 * cgroup.procs (v1 and v2 alike), sorted and unique, into a malloc'd array.
 * Levels that vanish meanwhile are skipped. -ENOENT when dir itself has no
 * cgroup.procs; at most max_pids are kept (-E2BIG past it). */
int cgroup__pids(const char *dir, int **pids, size_t *npids, size_t max_pids);

#endif
