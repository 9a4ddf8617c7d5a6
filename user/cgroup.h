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

struct cgroup_cpu_stat {
	uint64_t usage_usec, user_usec, system_usec;
	uint64_t nr_periods, nr_throttled, throttled_usec;
	bool has_throttling; /* the cpu controller is enabled for this cgroup */
};

/* Parses a v2 cpu.stat file's text. Unknown keys are ignored. */
int cgroup__parse_cpu_stat(const char *text, struct cgroup_cpu_stat *st);
/* Reads <dir>/cpu.stat of a v2 cgroup directory. */
int cgroup__read_cpu_stat(const char *dir, struct cgroup_cpu_stat *st);

#endif
