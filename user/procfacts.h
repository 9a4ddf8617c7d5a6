/* Everything podflame knows about one process's CPU situation: its cgroup
 * and effective CPU limit, its CPUs, and for Go its version and GOMAXPROCS
 * (observed or inferred) against the recommended value. Shared by targets,
 * doctor and record's subtitle so they all say the same thing. */
#ifndef PODFLAME_PROCFACTS_H
#define PODFLAME_PROCFACTS_H

#include <stdbool.h>

#include "cgroup.h"
#include "cgroup_cpu.h"
#include "gomaxprocs.h"
#include "goproc.h"

struct proc_facts {
	int pid;
	char comm[32];
	unsigned threads; /* 0 unknown */
	unsigned affinity_cpus; /* 0 unknown */
	int exe_error; /* goproc__inspect's error: the binary was unreadable */
	struct goproc go;
	int cgroup_error; /* 0, or why dirs/limit are unknown */
	struct cpu_cgroup_dirs dirs;
	struct cpu_limit limit;
	/* min(limit.cpus, affinity): what the process can use at most. 0 when
	 * neither a quota nor a cpuset limits it below the affinity. */
	double limit_cpus;
	bool has_env_gomaxprocs, has_env_godebug;
	char env_gomaxprocs[32], env_godebug[256];
	/* For Go processes: the rule's value, and the one reported (memory
	 * when readable, else the rule's). */
	struct gomaxprocs rule;
	struct gomaxprocs gomaxprocs;
	unsigned recommended; /* max(1, floor(limit_cpus)); 0 when unlimited */
};

/* Gathers what can be read; individual failures are recorded in the
 * struct, not fatal. -ESRCH/-ENOENT when the process is gone at the start. */
int proc_facts__gather(int pid, const struct cgroup_mounts *m, struct proc_facts *f);

/* "GOMAXPROCS=64 (observed: GOMAXPROCS in the process's environment)". */
const char *proc_facts__describe_gomaxprocs(const struct proc_facts *f, char *buf, size_t cap);
/* What an inferred GOMAXPROCS had to assume, or NULL: "Go version unknown,
 * < 1.25 assumed", "no build info, go.mod go line >= 1.25 assumed". */
const char *proc_facts__gomaxprocs_assumption(const struct proc_facts *f);
/* "1 CPU (cpu.cfs_quota_us 100000/100000 at /sys/...)", "none". */
const char *proc_facts__describe_limit(const struct proc_facts *f, char *buf, size_t cap);

#endif
