/* Fuzz target for the parsers of the text files podflame reads about other
 * processes and cgroups (all writable by whoever controls a container):
 * mountinfo, /proc/PID/cgroup, cpu.max, cfs quota/period, cpu lists,
 * cpu.stat, /proc/PID/stat, environ, kubelet directory names, container
 * IDs, GODEBUG lists and GOMAXPROCS values. The first byte picks the
 * parser; the rest is its input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "cgroup_cpu.h"
#include "cgroup_proc.h"
#include "gomaxprocs.h"
#include "pods.h"
#include "procinfo.h"

static void names(const char *s)
{
	char uid[POD_UID_MAX + 1], id[POD_ID_MAX + 1], rt[16], v[64];
	enum pod_driver d;
	unsigned n;

	pods__parse_pod_dir(s, uid, &d);
	pods__parse_container_dir(s, id, rt);
	pods__normalize_container_id(s, id);
	godebug__lookup(s, "containermaxprocs", v, sizeof(v));
	gomaxprocs__parse_env(s, &n);
	go_version__minor(s, &n);
}

static void gomaxprocs_rules(const char *s)
{
	struct gomaxprocs_facts f = { .go_version = s,
				      .default_godebug = s,
				      .env_godebug = s,
				      .env_gomaxprocs = s,
				      .affinity_cpus = 64 };
	struct gomaxprocs g;

	cpu_quota__parse_v2(s, &f.leaf);
	gomaxprocs__infer(&f, &g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cgroup_mounts m;
	struct proc_cgroup pc;
	struct cpu_cgroup_dirs dirs;
	struct cgroup_cpu_stat st;
	struct cpu_quota q;
	struct procenv env;
	uint64_t a, b;
	unsigned n;
	char *s;

	if (!size)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 8) {
	case 0:
		if (!cgroup_mounts__parse(&m, s, size - 1) && !proc_cgroup__parse(s, &pc))
			proc_cgroup__cpu_dirs(&m, &pc, &dirs);
		break;
	case 1:
		if (!proc_cgroup__parse(s, &pc)) {
			memset(&m, 0, sizeof(m));
			strcpy(m.v2, "/sys/fs/cgroup");
			strcpy(m.v2_root, "/kubepods");
			proc_cgroup__cpu_dirs(&m, &pc, &dirs);
		}
		break;
	case 2:
		cpu_quota__parse_v2(s, &q);
		cpu_quota__cpus(&q);
		cpulist__count(s, &n);
		break;
	case 3: {
		char *nl = strchr(s, '\n');

		if (nl)
			*nl++ = '\0';
		cpu_quota__parse_v1(s, nl ? nl : "100000", &q);
		break;
	}
	case 4:
		cgroup__parse_cpu_stat(s, &st);
		procinfo__parse_stat_times(s, &a, &b);
		break;
	case 5:
		/* environ keeps its NULs: use the raw bytes. */
		if (!procenv__from((const char *)data + 1, size - 1, &env)) {
			procenv__get(&env, "GOMAXPROCS");
			procenv__get(&env, "GODEBUG");
			procenv__release(&env);
		}
		break;
	case 6: names(s); break;
	default: gomaxprocs_rules(s);
	}
	free(s);
	return 0;
}
