/* The pods and containers of a scan with what can be read about them now:
 * each one's CPU limit, its processes, and each container process's facts
 * (procfacts.h). What `podflame targets` lists. */
#ifndef PODFLAME_PODFACTS_H
#define PODFLAME_PODFACTS_H

#include <stddef.h>

#include "cgroup.h"
#include "cgroup_cpu.h"
#include "pods.h"
#include "procfacts.h"

struct cgroup_facts {
	char *const *path; /* the pod's or container's paths (borrowed) */
	struct cpu_limit limit;
	int limit_error;
	size_t npids; /* processes in the cgroup and below */
	struct proc_facts *facts; /* containers only: one per process, by pid */
	size_t nfacts;
};

struct container_facts {
	const struct pod_container *ctr;
	struct cgroup_facts group;
};

struct pod_facts {
	const struct pod *pod;
	struct cgroup_facts group;
	struct container_facts *containers;
	size_t ncontainers;
};

struct pods_facts {
	struct pod_facts *pods;
	size_t npods;
};

/* Gathers every pod of pods, or only only_pod, and of its containers only
 * only_ctr when given (then only_pod is its pod).
 * Processes past max_pids in one container are counted, not inspected.
 * 0 or -ENOMEM; everything else is recorded per entry. pods must outlive
 * the result. */
int pods_facts__gather(struct pods_facts *pf, const struct cgroup_mounts *m,
		       const struct pods *pods, const struct pod *only_pod,
		       const struct pod_container *only_ctr, size_t max_pids);
void pods_facts__release(struct pods_facts *pf);

#endif
