/* A target's CPU situation over a recording window: the facts of its
 * processes at the start (procfacts.h), and what changed by the end — CPU
 * time used, and CFS throttling from cpu.stat of each cgroup whose quota
 * binds a process (nr_periods, nr_throttled, throttled_usec / v1
 * throttled_time). Shared by doctor and by record's SVG subtitle. */
#ifndef PODFLAME_CPUWINDOW_H
#define PODFLAME_CPUWINDOW_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"
#include "procfacts.h"
#include "profile.h"
#include "target.h"

struct cpuwindow_throttle {
	char dir[PATH_MAX]; /* the cgroup whose quota binds (limit.tightest_dir) */
	struct cgroup_cpu_stat before, after;
	bool ok; /* both reads succeeded and it reports bandwidth stats */
};

struct cpuwindow_proc {
	struct proc_facts facts;
	int throttle; /* index into throttles; -1 when no quota binds it */
	double cpu_before, cpu_after; /* utime+stime, seconds */
	bool cpu_ok;
};

struct cpuwindow {
	struct cpuwindow_proc *procs; /* by pid */
	size_t nprocs;
	size_t skipped; /* processes past the cap, or gone before inspection */
	struct cpuwindow_throttle *throttles;
	size_t nthrottles;
	/* For cgroup targets: cgroup2 usage of the whole directory. */
	char usage_dir[PATH_MAX];
	uint64_t usage_before, usage_after;
	bool usage_ok;
	double begin_s, end_s; /* CLOCK_MONOTONIC */
};

/* Before the window: the target's processes now (a cgroup's tree, the
 * pids, or with -a every Go process on the host), their facts, and the
 * first throttling and CPU readings. At most max_procs are inspected.
 * 0 or -ENOMEM; unreadable details are recorded per process. */
int cpuwindow__begin(struct cpuwindow *w, const struct target *t, const struct cgroup_mounts *m,
		     size_t max_procs);
/* After the window: the second readings. */
void cpuwindow__end(struct cpuwindow *w);
void cpuwindow__release(struct cpuwindow *w);

/* Throttling over the window for throttle i. False when unknown. */
bool cpuwindow__throttled(const struct cpuwindow *w, int i, uint64_t *periods, uint64_t *throttled,
			  double *seconds);
/* CPU seconds the target used over the window: the cgroup's usage for
 * cgroup targets, else the sum over its processes. -1 when unknown. */
double cpuwindow__cpu_seconds(const struct cpuwindow *w);
/* The process the window is mostly about: the Go process with the most
 * samples in prof (prof may be NULL), else the first Go process, else the
 * first process. -1 when there is none. */
int cpuwindow__primary(const struct cpuwindow *w, const struct profile *prof);
/* Samples of pid in prof. */
double cpuwindow__samples_of(const struct profile *prof, int pid);

/* The flame graph's subtitle for a cgroup target: "limit 1 CPU ·
 * GOMAXPROCS 64 (env) · throttled in 87% of periods (4.2 s)". */
const char *cpuwindow__subtitle(const struct cpuwindow *w, int primary, char *buf, size_t cap);

#endif
