/* What to sample: a cgroup (a pod, a container), processes, or the host.
 * Resolving --pod/--container to a cgroup lives with the pod layouts. */
#ifndef PODFLAME_TARGET_H
#define PODFLAME_TARGET_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "cgroup.h"

enum target_kind {
	TARGET_NONE,
	TARGET_ALL, /* -a: every CPU, every process */
	TARGET_CGROUP, /* a v2 cgroup directory and everything below it */
	TARGET_PIDS, /* these processes (tgids) */
};

struct target {
	enum target_kind kind;
	/* What the user named, for messages: "pod <uid>", "container <id>";
	 * "" for --cgroup, --pid and -a. */
	char label[192];
	char cgroup_path[PATH_MAX]; /* absolute, for TARGET_CGROUP */
	int cgroup_fd; /* open directory, for perf's cgroup mode; -1 otherwise */
	int *pids;
	size_t npids;
};

void target__init(struct target *t);
void target__release(struct target *t);

/* -EBUSY when a different kind of target was already chosen. */
int target__set_all(struct target *t);
/* arg as for cgroup__resolve_v2; opens the directory. */
int target__set_cgroup(struct target *t, const struct cgroup_mounts *m, const char *arg);
/* -ESRCH when no such process. Repeatable. */
int target__add_pid(struct target *t, int pid);

/* Is there still something to sample? (the cgroup directory exists; any of
 * the pids is alive). Always true for TARGET_ALL. */
bool target__alive(const struct target *t);

#endif
