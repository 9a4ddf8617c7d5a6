#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_proc.h"
#include "procfacts.h"
#include "procinfo.h"

static void read_env(int pid, struct proc_facts *f)
{
	struct procenv env;
	const char *v;

	if (procenv__read(pid, &env))
		return;
	if ((v = procenv__get(&env, "GOMAXPROCS"))) {
		f->has_env_gomaxprocs = true;
		snprintf(f->env_gomaxprocs, sizeof(f->env_gomaxprocs), "%s", v);
	}
	if ((v = procenv__get(&env, "GODEBUG"))) {
		f->has_env_godebug = true;
		snprintf(f->env_godebug, sizeof(f->env_godebug), "%s", v);
	}
	procenv__release(&env);
}

static void read_limit(int pid, const struct cgroup_mounts *m, struct proc_facts *f)
{
	struct proc_cgroup pc;

	f->limit.leaf.quota_us = f->limit.tightest.quota_us = -1;
	f->cgroup_error = proc_cgroup__read(pid, &pc);
	if (!f->cgroup_error)
		f->cgroup_error = proc_cgroup__cpu_dirs(m, &pc, &f->dirs);
	if (!f->cgroup_error)
		f->cgroup_error = cpu_limit__read(&f->dirs, &f->limit);
	f->limit_cpus = f->limit.cpus;
	if (f->limit_cpus && f->affinity_cpus && f->affinity_cpus < f->limit_cpus)
		f->limit_cpus = f->affinity_cpus;
}

/* The reported value: memory when it could be read. When it agrees with
 * the rule, the rule's source explains it (and it is observed); when not,
 * the program changed it itself (runtime.GOMAXPROCS). */
static void decide(struct proc_facts *f)
{
	struct gomaxprocs_facts in = {
		.go_version = f->go.version[0] ? f->go.version : NULL,
		.default_godebug = f->go.default_godebug[0] ? f->go.default_godebug : NULL,
		.buildinfo = f->go.buildinfo,
		.automaxprocs = f->go.automaxprocs,
		.env_gomaxprocs = f->has_env_gomaxprocs ? f->env_gomaxprocs : NULL,
		.env_godebug = f->has_env_godebug ? f->env_godebug : NULL,
		.affinity_cpus = f->affinity_cpus,
		.leaf = f->limit.leaf,
	};

	gomaxprocs__infer(&in, &f->rule);
	f->gomaxprocs = f->rule;
	if (f->go.gomaxprocs_read) {
		f->gomaxprocs.observed = true;
		if (f->go.gomaxprocs != f->rule.value) {
			f->gomaxprocs.value = f->go.gomaxprocs;
			f->gomaxprocs.source = GOMAXPROCS_SRC_MEMORY;
		}
	}
}

int proc_facts__gather(int pid, const struct cgroup_mounts *m, struct proc_facts *f)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->pid = pid;
	err = procinfo__comm(pid, f->comm, sizeof(f->comm));
	if (err)
		return err;
	procinfo__threads(pid, &f->threads);
	procinfo__affinity(pid, &f->affinity_cpus);
	f->exe_error = goproc__inspect(pid, &f->go);
	read_env(pid, f);
	read_limit(pid, m, f);
	f->recommended = gomaxprocs__recommend(f->limit_cpus);
	if (f->go.is_go)
		decide(f);
	return 0;
}

const char *proc_facts__gomaxprocs_assumption(const struct proc_facts *f)
{
	const struct gomaxprocs *g = &f->gomaxprocs;

	if (!f->go.is_go || g->observed)
		return NULL;
	if (g->version_unknown && g->source == GOMAXPROCS_SRC_AFFINITY)
		return "Go version unknown, < 1.25 assumed";
	if (g->go_line_assumed && g->source == GOMAXPROCS_SRC_CGROUP)
		return "no build info, go.mod go line >= 1.25 assumed";
	return NULL;
}

const char *proc_facts__describe_gomaxprocs(const struct proc_facts *f, char *buf, size_t cap)
{
	const struct gomaxprocs *g = &f->gomaxprocs;

	const char *assumed = proc_facts__gomaxprocs_assumption(f);

	if (!f->go.is_go)
		snprintf(buf, cap, "not a Go program");
	else
		snprintf(buf, cap, "GOMAXPROCS=%u (%s%s%s%s)", g->value,
			 g->observed && g->source != GOMAXPROCS_SRC_MEMORY &&
					 g->source != GOMAXPROCS_SRC_ENV
				 ? "observed in memory; "
				 : "",
			 gomaxprocs_source__explain(g->source), assumed ? "; " : "",
			 assumed ? assumed : "");
	return buf;
}

const char *proc_facts__describe_limit(const struct proc_facts *f, char *buf, size_t cap)
{
	const struct cpu_limit *l = &f->limit;

	if (f->cgroup_error) {
		snprintf(buf, cap, "unknown (%s)", strerror(-f->cgroup_error));
	} else if (!l->cpus) {
		snprintf(buf, cap, "none (no CPU quota or cpuset below the %u CPUs)",
			 f->affinity_cpus);
	} else if (cpu_quota__limited(&l->tightest) && cpu_quota__cpus(&l->tightest) <= l->cpus) {
		snprintf(buf, cap, "%g CPU (%s %lld/%llu at %s)", l->cpus,
			 l->version == 1 ? "cpu.cfs_quota_us/period" : "cpu.max",
			 (long long)l->tightest.quota_us, (unsigned long long)l->tightest.period_us,
			 l->tightest_dir);
	} else {
		snprintf(buf, cap, "%g CPU (cpuset of %u CPUs)", l->cpus, l->cpuset_cpus);
	}
	return buf;
}
