#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "doctor.h"
#include "flamegraph/runtime_share.h"

int doctor__shares(const struct profile *prof, int pid, struct doctor_shares *out)
{
	struct rt_classifier *c = rt_classifier__new();
	struct profile_names names;
	struct rt_share s;
	int err = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	if (!c || profile_names__init(&names, 64)) {
		rt_classifier__free(c);
		return -ENOMEM;
	}
	for (i = 0; i < prof->nsamples && !err; i++) {
		int n;

		if (pid && (int)prof->samples[i].pid != pid)
			continue;
		/* Folded names: kernel frames carry "_[k]" and are never members. */
		n = profile__sample_names(prof, i, false, true, &names);
		if (n < 0)
			err = n;
		else
			err = rt_share__add_stack(&s, c, names.names, NULL, (size_t)n,
						  (double)prof->samples[i].count);
	}
	profile_names__release(&names);
	rt_classifier__free(c);
	if (err)
		return err;
	out->total = s.total;
	out->schedule = rt_share__family(&s, RT_SCHEDULE);
	out->gc_worker = rt_share__family(&s, RT_GC_WORKER);
	out->gc_assist = rt_share__family(&s, RT_GC_ASSIST);
	return 0;
}

static bool above_limit(const struct proc_facts *f)
{
	return f->go.is_go && f->recommended && f->gomaxprocs.value > f->recommended;
}

/* Among the Go processes above their limit, the one with the most samples:
 * the report leads with the worst offender the profile can show. */
static int worst_offender(const struct doctor_report *r)
{
	const struct cpuwindow *w = r->window;
	double best = -1;
	int pick = -1;
	size_t i;

	for (i = 0; i < w->nprocs; i++) {
		if (above_limit(&w->procs[i].facts) && r->proc_shares[i].total > best) {
			best = r->proc_shares[i].total;
			pick = (int)i;
		}
	}
	return pick;
}

static bool any_go(const struct cpuwindow *w)
{
	size_t i;

	for (i = 0; i < w->nprocs; i++)
		if (w->procs[i].facts.go.is_go)
			return true;
	return false;
}

int doctor__judge(struct doctor_report *r)
{
	const struct cpuwindow *w = r->window;
	int offender, err;
	size_t i;

	r->proc_shares = calloc(w->nprocs ? w->nprocs : 1, sizeof(*r->proc_shares));
	if (!r->proc_shares)
		return -ENOMEM;
	err = doctor__shares(r->prof, 0, &r->shares);
	for (i = 0; i < w->nprocs && !err; i++)
		err = doctor__shares(r->prof, w->procs[i].facts.pid, &r->proc_shares[i]);
	if (err)
		return err;
	r->cpu_seconds = cpuwindow__cpu_seconds(w);
	offender = worst_offender(r);
	r->primary = offender >= 0 ? offender : cpuwindow__primary(w, r->prof);
	if (r->primary >= 0)
		r->throttle_known =
			cpuwindow__throttled(w, w->procs[r->primary].throttle, &r->periods,
					     &r->throttled_periods, &r->throttled_seconds);
	if (offender >= 0)
		r->verdict = DOCTOR_GOMAXPROCS_ABOVE_LIMIT;
	else if (r->throttle_known && r->throttled_periods >= DOCTOR_THROTTLED_MIN &&
		 (double)r->throttled_periods >= DOCTOR_THROTTLED_SHARE * (double)r->periods)
		r->verdict = DOCTOR_CPU_THROTTLED;
	else if (!any_go(w))
		r->verdict = DOCTOR_NO_GO_PROCESS;
	else
		r->verdict = DOCTOR_OK;
	return 0;
}

void doctor__release(struct doctor_report *r)
{
	free(r->proc_shares);
	r->proc_shares = NULL;
}

int doctor__exit_status(const struct doctor_report *r)
{
	return r->verdict == DOCTOR_GOMAXPROCS_ABOVE_LIMIT || r->verdict == DOCTOR_CPU_THROTTLED
		       ? PF_EXIT_FINDING
		       : PF_EXIT_OK;
}

const char *doctor_verdict__name(enum doctor_verdict v)
{
	switch (v) {
	case DOCTOR_GOMAXPROCS_ABOVE_LIMIT: return "gomaxprocs_above_limit";
	case DOCTOR_CPU_THROTTLED: return "cpu_throttled";
	case DOCTOR_NO_GO_PROCESS: return "no_go_process";
	default: return "ok";
	}
}
