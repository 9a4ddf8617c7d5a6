/* Which cgroups a process is in, from its own /proc/PID/cgroup, and where
 * those are on this machine's mounts. Per process, not per target: a
 * container's processes may sit in different leaves, and Go reads its own. */
#ifndef PODFLAME_CGROUP_PROC_H
#define PODFLAME_CGROUP_PROC_H

#include <limits.h>
#include <stdbool.h>

#include "cgroup.h"
#include "cgroup_cpu.h"

/* Paths as the kernel prints them ("/kubepods/burstable/pod.../abc"),
 * relative to the hierarchy's root; "" when the process has no such line. */
struct proc_cgroup {
	char v2[PATH_MAX]; /* the "0::" line */
	char cpu[PATH_MAX]; /* the v1 line whose controllers include cpu */
	char cpuset[PATH_MAX];
	char cpuacct[PATH_MAX];
	bool has_v2, has_cpu, has_cpuset, has_cpuacct;
};

/* Parses /proc/PID/cgroup text: "ID:controllers:path" lines, v1 and v2,
 * named hierarchies (name=systemd) ignored. -EINVAL when no line parses. */
int proc_cgroup__parse(const char *text, struct proc_cgroup *pc);
/* Reads /proc/<pid>/cgroup. -ESRCH/-ENOENT when the process is gone. */
int proc_cgroup__read(int pid, struct proc_cgroup *pc);

/* The process's cpu-controller directory: the v1 cpu hierarchy when one is
 * mounted and the process has a line in it (that is where the kernel
 * enforces its quota on a hybrid host), else its cgroup2 directory; and its
 * cpuset directory. -ENODEV when no mount fits, -EXDEV when the paths are
 * outside our mounts (another cgroup namespace), -ENAMETOOLONG. */
int proc_cgroup__cpu_dirs(const struct cgroup_mounts *m, const struct proc_cgroup *pc,
			  struct cpu_cgroup_dirs *d);
/* The process's cgroup2 directory. -ENODEV, -EXDEV. */
int proc_cgroup__v2_dir(const struct cgroup_mounts *m, const struct proc_cgroup *pc, char *abs,
			size_t cap);

#endif
