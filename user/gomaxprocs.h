/* The GOMAXPROCS a Go process runs with, from what is visible outside it,
 * and the value it should run with under its CPU limit.
 *
 * The runtime's default, by precedence:
 *   1. GOMAXPROCS in the environment (a positive decimal), whatever else;
 *   2. go.uber.org/automaxprocs, linked in: max(1, floor(quota/period)) of
 *      the process's own cgroup, once at start (no quota: the default below);
 *   3. Go >= 1.25, unless containermaxprocs=0 (GODEBUG in the environment,
 *      else the binary's DefaultGODEBUG, which a main module whose go line is
 *      below 1.25 gets): min(affinity CPUs, max(2, ceil(quota/period))) of the
 *      process's *leaf* cgroup only — a tighter ancestor is ignored — re-read
 *      about once a second;
 *   4. otherwise the CPU affinity count: the host's cores, whatever the quota.
 * So a 0.5-CPU pod gets 2 from Go 1.25 and 1 from automaxprocs; a 64-core
 * host without either gets 64.
 *
 * The recommendation is max(1, floor(limit)) of the effective limit (the
 * tightest quota over the cgroup and its ancestors, and the cpuset). */
#ifndef PODFLAME_GOMAXPROCS_H
#define PODFLAME_GOMAXPROCS_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroup_cpu.h"

enum gomaxprocs_source {
	GOMAXPROCS_SRC_MEMORY, /* runtime.gomaxprocs read from the live process */
	GOMAXPROCS_SRC_ENV, /* GOMAXPROCS in its environment */
	GOMAXPROCS_SRC_AUTOMAXPROCS, /* go.uber.org/automaxprocs' rule */
	GOMAXPROCS_SRC_CGROUP, /* Go >= 1.25's container-aware default */
	GOMAXPROCS_SRC_AFFINITY, /* the CPU affinity count */
};

struct gomaxprocs_facts {
	const char *go_version; /* "go1.21.3"; NULL when unknown */
	const char *default_godebug; /* the DefaultGODEBUG build setting, or NULL */
	/* The binary has build info (modules, settings): without it, a
	 * missing DefaultGODEBUG says nothing about the go.mod go line. */
	bool buildinfo;
	bool automaxprocs; /* buildinfo lists go.uber.org/automaxprocs */
	const char *env_gomaxprocs; /* NULL when not in the environment */
	const char *env_godebug; /* NULL when not in the environment */
	unsigned affinity_cpus; /* sched_getaffinity's count */
	struct cpu_quota leaf; /* the quota of the process's own cgroup */
};

struct gomaxprocs {
	unsigned value;
	enum gomaxprocs_source source;
	bool observed; /* read (env, memory), not derived from rules */
	/* The rule assumed a Go version it could not read (< 1.25). */
	bool version_unknown;
	/* Go >= 1.25 without build info: containermaxprocs assumed on (a
	 * go.mod go line >= 1.25), which the binary does not confirm. */
	bool go_line_assumed;
};

/* The value by the rules above; never fails (affinity_cpus 0 gives 0). */
void gomaxprocs__infer(const struct gomaxprocs_facts *f, struct gomaxprocs *out);

/* max(1, floor(cpus)); 0 when cpus is 0 (no limit). */
unsigned gomaxprocs__recommend(double cpus);

/* Go's reading of GOMAXPROCS: a positive decimal that fits an int32. */
bool gomaxprocs__parse_env(const char *text, unsigned *value);

/* The minor version of "go1.25.1", "go1.25rc1", "devel go1.26-abc ...";
 * -EINVAL for anything else. */
int go_version__minor(const char *version, unsigned *minor);

/* The value of key in a GODEBUG-style list ("a=1,b=0"); the last setting
 * wins. False when the key is absent. */
bool godebug__lookup(const char *list, const char *key, char *value, size_t cap);

/* "memory", "env", "automaxprocs", "go1.25-cgroup", "affinity". */
const char *gomaxprocs_source__name(enum gomaxprocs_source s);
/* A sentence for reports: why the value is what it is. */
const char *gomaxprocs_source__explain(enum gomaxprocs_source s);

#endif
