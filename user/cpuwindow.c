#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpuwindow.h"
#include "procinfo.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every process on the host, for -a. */
static int all_pids(int **pids, size_t *n)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t cap = 0;
	int *out = NULL;

	*n = 0;
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		if (*n == cap) {
			int *bigger = realloc(out, (cap = cap ? cap * 2 : 256) * sizeof(*out));

			if (!bigger) {
				free(out);
				closedir(d);
				return -ENOMEM;
			}
			out = bigger;
		}
		out[(*n)++] = atoi(e->d_name);
	}
	closedir(d);
	*pids = out;
	return 0;
}

static int target_pids(const struct target *t, int **pids, size_t *n)
{
	int err;

	switch (t->kind) {
	case TARGET_CGROUP:
		err = cgroup__pids(t->cgroup_path, pids, n, 1u << 20);
		return err == -E2BIG ? 0 : err;
	case TARGET_PIDS:
		*pids = malloc((t->npids ? t->npids : 1) * sizeof(int));
		if (!*pids)
			return -ENOMEM;
		memcpy(*pids, t->pids, t->npids * sizeof(int));
		*n = t->npids;
		return 0;
	default: return all_pids(pids, n);
	}
}

static int throttle_index(struct cpuwindow *w, const char *dir)
{
	struct cpuwindow_throttle *bigger, *th;
	size_t i;

	for (i = 0; i < w->nthrottles; i++)
		if (!strcmp(w->throttles[i].dir, dir))
			return (int)i;
	bigger = realloc(w->throttles, (w->nthrottles + 1) * sizeof(*bigger));
	if (!bigger)
		return -ENOMEM;
	w->throttles = bigger;
	th = &w->throttles[w->nthrottles];
	memset(th, 0, sizeof(*th));
	snprintf(th->dir, sizeof(th->dir), "%s", dir);
	th->ok = !cgroup__read_cpu_stat(dir, &th->before) && th->before.has_throttling;
	return (int)w->nthrottles++;
}

/* Inspects one process; false when it is gone or (with -a) not Go. */
static int add_proc(struct cpuwindow *w, int pid, const struct cgroup_mounts *m, bool go_only)
{
	struct cpuwindow_proc *p = &w->procs[w->nprocs];

	memset(p, 0, sizeof(*p));
	p->throttle = -1;
	if (proc_facts__gather(pid, m, &p->facts) || (go_only && !p->facts.go.is_go))
		return 0;
	if (p->facts.limit.tightest_dir[0]) {
		int i = throttle_index(w, p->facts.limit.tightest_dir);

		if (i < 0)
			return i;
		p->throttle = i;
	}
	p->cpu_ok = !procinfo__cpu_seconds(pid, &p->cpu_before);
	w->nprocs++;
	return 1;
}

int cpuwindow__begin(struct cpuwindow *w, const struct target *t, const struct cgroup_mounts *m,
		     size_t max_procs)
{
	struct cgroup_cpu_stat st;
	int *pids = NULL;
	size_t n = 0, i;
	int err;

	memset(w, 0, sizeof(*w));
	err = target_pids(t, &pids, &n);
	if (err == -ENOMEM)
		return err;
	w->procs = calloc(n < max_procs ? (n ? n : 1) : max_procs, sizeof(*w->procs));
	if (!w->procs) {
		free(pids);
		return -ENOMEM;
	}
	for (i = 0; i < n && !(err < 0); i++) {
		if (w->nprocs == max_procs) {
			w->skipped += n - i;
			break;
		}
		err = add_proc(w, pids[i], m, t->kind == TARGET_ALL);
		if (!err && t->kind != TARGET_ALL)
			w->skipped++;
	}
	free(pids);
	if (err < 0)
		return err;
	if (t->kind == TARGET_CGROUP && !cgroup__read_cpu_stat(t->cgroup_path, &st) &&
	    st.has_usage) {
		snprintf(w->usage_dir, sizeof(w->usage_dir), "%s", t->cgroup_path);
		w->usage_before = st.usage_usec;
		w->usage_ok = true;
	}
	w->begin_s = now_s();
	return 0;
}

void cpuwindow__end(struct cpuwindow *w)
{
	struct cgroup_cpu_stat st;
	size_t i;

	w->end_s = now_s();
	for (i = 0; i < w->nthrottles; i++) {
		struct cpuwindow_throttle *th = &w->throttles[i];

		th->ok = th->ok && !cgroup__read_cpu_stat(th->dir, &th->after);
	}
	for (i = 0; i < w->nprocs; i++) {
		struct cpuwindow_proc *p = &w->procs[i];

		p->cpu_ok = p->cpu_ok && !procinfo__cpu_seconds(p->facts.pid, &p->cpu_after);
	}
	if (w->usage_ok) {
		w->usage_ok = !cgroup__read_cpu_stat(w->usage_dir, &st) &&
			      st.usage_usec >= w->usage_before;
		w->usage_after = st.usage_usec;
	}
}

void cpuwindow__release(struct cpuwindow *w)
{
	free(w->procs);
	free(w->throttles);
	memset(w, 0, sizeof(*w));
}

bool cpuwindow__throttled(const struct cpuwindow *w, int i, uint64_t *periods, uint64_t *throttled,
			  double *seconds)
{
	const struct cpuwindow_throttle *th;

	if (i < 0 || (size_t)i >= w->nthrottles || !w->throttles[i].ok)
		return false;
	th = &w->throttles[i];
	/* Counters only grow; a recreated cgroup would make them go back. */
	if (th->after.nr_periods < th->before.nr_periods ||
	    th->after.nr_throttled < th->before.nr_throttled ||
	    th->after.throttled_usec < th->before.throttled_usec)
		return false;
	*periods = th->after.nr_periods - th->before.nr_periods;
	*throttled = th->after.nr_throttled - th->before.nr_throttled;
	*seconds = (double)(th->after.throttled_usec - th->before.throttled_usec) / 1e6;
	return true;
}

double cpuwindow__cpu_seconds(const struct cpuwindow *w)
{
	double sum = 0;
	bool any = false;
	size_t i;

	if (w->usage_ok)
		return (double)(w->usage_after - w->usage_before) / 1e6;
	for (i = 0; i < w->nprocs; i++) {
		if (!w->procs[i].cpu_ok)
			continue;
		sum += w->procs[i].cpu_after - w->procs[i].cpu_before;
		any = true;
	}
	return any ? sum : -1;
}

double cpuwindow__samples_of(const struct profile *prof, int pid)
{
	double n = 0;
	size_t i;

	for (i = 0; prof && i < prof->nsamples; i++)
		if ((int)prof->samples[i].pid == pid)
			n += (double)prof->samples[i].count;
	return n;
}

int cpuwindow__primary(const struct cpuwindow *w, const struct profile *prof)
{
	double best = -1;
	int pick = -1;
	size_t i;

	for (i = 0; i < w->nprocs; i++) {
		double n;

		if (!w->procs[i].facts.go.is_go)
			continue;
		n = cpuwindow__samples_of(prof, w->procs[i].facts.pid);
		if (n > best) {
			best = n;
			pick = (int)i;
		}
	}
	return pick >= 0 ? pick : w->nprocs ? 0 : -1;
}

const char *cpuwindow__subtitle(const struct cpuwindow *w, int primary, char *buf, size_t cap)
{
	const struct cpuwindow_proc *p;
	uint64_t periods, throttled;
	double secs;
	size_t used;

	if (primary < 0 || (size_t)primary >= w->nprocs) {
		snprintf(buf, cap, "no process to describe");
		return buf;
	}
	p = &w->procs[primary];
	if (p->facts.limit_cpus)
		used = (size_t)snprintf(buf, cap, "limit %g CPU", p->facts.limit_cpus);
	else
		used = (size_t)snprintf(buf, cap, "no CPU limit");
	if (used < cap && p->facts.go.is_go)
		used += (size_t)snprintf(buf + used, cap - used, " \xc2\xb7 GOMAXPROCS %u (%s)",
					 p->facts.gomaxprocs.value,
					 gomaxprocs_source__name(p->facts.gomaxprocs.source));
	if (used < cap && p->facts.go.is_go && p->facts.recommended &&
	    p->facts.gomaxprocs.value > p->facts.recommended)
		used += (size_t)snprintf(buf + used, cap - used, ", recommended %u",
					 p->facts.recommended);
	if (used < cap && cpuwindow__throttled(w, p->throttle, &periods, &throttled, &secs))
		snprintf(buf + used, cap - used,
			 " \xc2\xb7 throttled in %.0f%% of periods (%llu of %llu, %.1f s)",
			 periods ? 100.0 * (double)throttled / (double)periods : 0.0,
			 (unsigned long long)throttled, (unsigned long long)periods, secs);
	return buf;
}
