#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gomaxprocs.h"

/* The first Go release whose default follows the cgroup's quota. */
#define CGROUP_AWARE_MINOR 25

bool gomaxprocs__parse_env(const char *text, unsigned *value)
{
	unsigned long long n = 0;
	const char *p = text;

	/* runtime.atoi32: digits only, no sign, no blanks, fits int32. */
	if (!*p)
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		n = n * 10 + (unsigned)(*p - '0');
		if (n > INT32_MAX)
			return false;
	}
	if (n == 0)
		return false;
	*value = (unsigned)n;
	return true;
}

int go_version__minor(const char *version, unsigned *minor)
{
	const char *p = version ? strstr(version, "go1.") : NULL;
	unsigned long v;
	char *end;

	if (!p)
		return -EINVAL;
	p += 4;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	v = strtoul(p, &end, 10);
	if (v > 1000)
		return -EINVAL;
	*minor = (unsigned)v;
	return 0;
}

bool godebug__lookup(const char *list, const char *key, char *value, size_t cap)
{
	size_t klen = strlen(key);
	const char *p = list;
	bool found = false;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t vlen = len - klen - 1;

			if (vlen >= cap)
				vlen = cap - 1;
			memcpy(value, p + klen + 1, vlen);
			value[vlen] = '\0';
			found = true;
		}
		p = comma ? comma + 1 : NULL;
	}
	return found;
}

/* containermaxprocs for this process: the environment's GODEBUG overrides
 * the binary's DefaultGODEBUG; the default is on. */
static bool container_aware(const struct gomaxprocs_facts *f)
{
	char value[16];

	if (f->env_godebug &&
	    godebug__lookup(f->env_godebug, "containermaxprocs", value, sizeof(value)))
		return strcmp(value, "0") != 0;
	if (f->default_godebug &&
	    godebug__lookup(f->default_godebug, "containermaxprocs", value, sizeof(value)))
		return strcmp(value, "0") != 0;
	return true;
}

void gomaxprocs__infer(const struct gomaxprocs_facts *f, struct gomaxprocs *out)
{
	unsigned minor = 0, env;
	bool known = !go_version__minor(f->go_version, &minor);

	memset(out, 0, sizeof(*out));
	if (f->env_gomaxprocs && gomaxprocs__parse_env(f->env_gomaxprocs, &env)) {
		out->value = env;
		out->source = GOMAXPROCS_SRC_ENV;
		out->observed = true;
		return;
	}
	if (f->automaxprocs && cpu_quota__limited(&f->leaf)) {
		out->value = gomaxprocs__recommend(cpu_quota__cpus(&f->leaf));
		out->source = GOMAXPROCS_SRC_AUTOMAXPROCS;
		return;
	}
	if (known && minor >= CGROUP_AWARE_MINOR && container_aware(f) &&
	    cpu_quota__limited(&f->leaf)) {
		double procs = ceil(cpu_quota__cpus(&f->leaf));

		if (procs < 2)
			procs = 2;
		out->value = procs < f->affinity_cpus ? (unsigned)procs : f->affinity_cpus;
		out->source = GOMAXPROCS_SRC_CGROUP;
		out->go_line_assumed = !f->buildinfo;
		return;
	}
	out->value = f->affinity_cpus;
	out->source = GOMAXPROCS_SRC_AFFINITY;
	out->version_unknown = !known;
}

unsigned gomaxprocs__recommend(double cpus)
{
	if (!(cpus > 0))
		return 0;
	return cpus < 1 ? 1 : (unsigned)floor(cpus);
}

const char *gomaxprocs_source__name(enum gomaxprocs_source s)
{
	switch (s) {
	case GOMAXPROCS_SRC_MEMORY: return "memory";
	case GOMAXPROCS_SRC_ENV: return "env";
	case GOMAXPROCS_SRC_AUTOMAXPROCS: return "automaxprocs";
	case GOMAXPROCS_SRC_CGROUP: return "go1.25-cgroup";
	default: return "affinity";
	}
}

const char *gomaxprocs_source__explain(enum gomaxprocs_source s)
{
	switch (s) {
	case GOMAXPROCS_SRC_MEMORY:
		return "observed: runtime.gomaxprocs read from the process's memory";
	case GOMAXPROCS_SRC_ENV: return "observed: GOMAXPROCS in the process's environment";
	case GOMAXPROCS_SRC_AUTOMAXPROCS:
		return "inferred: automaxprocs sets max(1, floor(quota)) of its cgroup at start";
	case GOMAXPROCS_SRC_CGROUP:
		return "inferred: Go >= 1.25 uses min(CPUs, max(2, ceil(quota))) of its own cgroup";
	default: return "inferred: the runtime's default is the CPU count, whatever the quota";
	}
}
