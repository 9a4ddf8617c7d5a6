/* The doctor's report, as text for people and as JSON for scripts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "doctor.h"
#include "json.h"

static const struct proc_facts *primary_facts(const struct doctor_report *r)
{
	return r->primary >= 0 ? &r->window->procs[r->primary].facts : NULL;
}

static double pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0;
}

static void text_measures(FILE *out, const struct doctor_report *r, const struct proc_facts *f)
{
	char buf[PATH_MAX + 256];

	fprintf(out, "  process     %d %s", f->pid, f->comm);
	if (f->go.is_go)
		fprintf(out, ", %s%s", f->go.version[0] ? f->go.version : "Go, version unknown",
			f->go.automaxprocs ? " with automaxprocs" : "");
	fprintf(out, ", %u threads\n", f->threads);
	fprintf(out, "  CPU limit   %s\n", proc_facts__describe_limit(f, buf, sizeof(buf)));
	if (r->cpu_seconds >= 0 && r->seconds > 0) {
		double used = r->cpu_seconds / r->seconds;

		fprintf(out, "  CPU used    %.2f CPU over %.1f s", used, r->seconds);
		if (f->limit_cpus)
			fprintf(out, " (%.0f%% of the limit)", pct(used, f->limit_cpus));
		fputc('\n', out);
	}
	if (r->throttle_known)
		fprintf(out, "  throttled   %llu of %llu periods (%.0f%%), %.2f s in total\n",
			(unsigned long long)r->throttled_periods, (unsigned long long)r->periods,
			pct((double)r->throttled_periods, (double)r->periods),
			r->throttled_seconds);
	else if (f->limit.tightest_dir[0])
		fprintf(out, "  throttled   unknown (cpu.stat unreadable at %s)\n",
			f->limit.tightest_dir);
	if (f->go.is_go) {
		fprintf(out, "  GOMAXPROCS  %s",
			proc_facts__describe_gomaxprocs(f, buf, sizeof(buf)));
		if (f->recommended)
			fprintf(out, "; recommended %u", f->recommended);
		fputc('\n', out);
	}
	fprintf(out,
		"  runtime     runtime.schedule %.1f%%, runtime.gcBgMarkWorker %.1f%%, GC assist "
		"%.1f%% (inclusive shares of %.0f samples)\n",
		100 * r->shares.schedule, 100 * r->shares.gc_worker, 100 * r->shares.gc_assist,
		r->shares.total);
}

static void text_others(FILE *out, const struct doctor_report *r)
{
	const struct cpuwindow *w = r->window;
	size_t i;

	if (w->nprocs < 2 && !w->skipped)
		return;
	fprintf(out, "\n  processes in the target:\n");
	for (i = 0; i < w->nprocs; i++) {
		const struct proc_facts *f = &w->procs[i].facts;

		fprintf(out, "    %c %-7d %-15s", (int)i == r->primary ? '*' : ' ', f->pid,
			f->comm);
		if (f->go.is_go)
			fprintf(out, " GOMAXPROCS %u (%s)", f->gomaxprocs.value,
				gomaxprocs_source__name(f->gomaxprocs.source));
		else
			fprintf(out, " not Go");
		if (f->recommended)
			fprintf(out, ", recommended %u", f->recommended);
		fprintf(out, ", %.1f%% of samples\n",
			pct(r->proc_shares[i].total, r->shares.total));
	}
	if (w->skipped)
		fprintf(out, "    (%zu more not inspected: gone, or past the cap)\n", w->skipped);
}

static void text_fix_gomaxprocs(FILE *out, const struct proc_facts *f)
{
	double limit = f->limit_cpus;
	unsigned go125 = (unsigned)ceil(limit) < 2 ? 2 : (unsigned)ceil(limit);

	if (f->affinity_cpus && go125 > f->affinity_cpus)
		go125 = f->affinity_cpus;
	fprintf(out,
		"\nverdict: gomaxprocs_above_limit\n"
		"  GOMAXPROCS %u is above the %g CPU this process can use: up to %u threads run Go\n"
		"  code against that limit, so idle Ps spin in the scheduler looking for work, the\n"
		"  GC runs mark workers on them, and the quota runs out (CFS throttling).\n",
		f->gomaxprocs.value, limit, f->gomaxprocs.value);
	fprintf(out, "\nfix: run it with GOMAXPROCS=%u, max(1, floor(%g)). Any of:\n",
		f->recommended, limit);
	if (f->has_env_gomaxprocs)
		fprintf(out,
			"  (first remove the GOMAXPROCS=%s it is given now; it overrides "
			"everything below)\n",
			f->env_gomaxprocs);
	fprintf(out,
		"  1. from the pod spec, with the downward API:\n"
		"       env:\n"
		"       - name: GOMAXPROCS\n"
		"         valueFrom:\n"
		"           resourceFieldRef:\n"
		"             resource: limits.cpu\n"
		"             divisor: \"1\"\n"
		"     (Kubernetes rounds a fractional limit up: 1500m gives 2; use whole CPUs)\n"
		"  2. link go.uber.org/automaxprocs (import _ \"go.uber.org/automaxprocs\"): it\n"
		"     sets max(1, floor(quota)) = %u at start\n"
		"  3. build with Go >= 1.25 and a go.mod go line >= 1.25: the default becomes\n"
		"     min(CPUs, max(2, ceil(limit))) = %u here%s\n",
		f->recommended, go125,
		go125 > f->recommended ? " (still above the recommendation for limits below 2)"
				       : "");
}

static void text_verdict(FILE *out, const struct doctor_report *r, const struct proc_facts *f)
{
	switch (r->verdict) {
	case DOCTOR_GOMAXPROCS_ABOVE_LIMIT: text_fix_gomaxprocs(out, f); break;
	case DOCTOR_CPU_THROTTLED:
		fprintf(out,
			"\nverdict: cpu_throttled\n"
			"  GOMAXPROCS fits the limit, but the cgroup was throttled in %.0f%% of its\n"
			"  periods: the load needs more CPU than the limit gives.\n"
			"\nfix: raise limits.cpu (or remove the limit), or lower the load.\n",
			pct((double)r->throttled_periods, (double)r->periods));
		break;
	case DOCTOR_NO_GO_PROCESS:
		fprintf(out, "\nverdict: no_go_process\n"
			     "  no Go process in the target: nothing to judge GOMAXPROCS of.\n");
		break;
	default:
		fprintf(out, "\nverdict: ok\n");
		if (f && f->go.is_go && f->recommended)
			fprintf(out, "  GOMAXPROCS %u fits the %g CPU limit.\n",
				f->gomaxprocs.value, f->limit_cpus);
		else if (f && f->go.is_go)
			fprintf(out, "  no CPU limit: GOMAXPROCS %u follows the CPUs.\n",
				f->gomaxprocs.value);
	}
}

void doctor__write_text(FILE *out, const struct doctor_report *r)
{
	const struct proc_facts *f = primary_facts(r);

	fprintf(out, "podflame doctor: %s, %.1f s\n\n", r->target, r->seconds);
	if (f)
		text_measures(out, r, f);
	else
		fprintf(out, "  no processes in the target at the start of the window\n");
	text_others(out, r);
	text_verdict(out, r, f);
}

static void json_num_or_null(FILE *out, const char *key, bool known, double v)
{
	fprintf(out, ",\"%s\":", key);
	if (known)
		json__number(out, v);
	else
		fputs("null", out);
}

static void json_shares(FILE *out, const struct doctor_shares *s)
{
	fputs("{\"runtime.schedule\":", out);
	json__number(out, s->schedule);
	fputs(",\"runtime.gcBgMarkWorker\":", out);
	json__number(out, s->gc_worker);
	fputs(",\"runtime.gcAssistAlloc\":", out);
	json__number(out, s->gc_assist);
	fputs(",\"samples\":", out);
	json__number(out, s->total);
	fputc('}', out);
}

/* The per-process keys, shared by the top level and processes[]. */
static void json_process_keys(FILE *out, const struct proc_facts *f)
{
	bool go = f->go.is_go;

	fprintf(out, "\"pid\":%d,\"comm\":", f->pid);
	json__string(out, f->comm);
	fprintf(out, ",\"go\":%s,\"go_version\":", go ? "true" : "false");
	if (go && f->go.version[0])
		json__string(out, f->go.version);
	else
		fputs("null", out);
	fprintf(out, ",\"automaxprocs\":%s,\"threads\":%u", f->go.automaxprocs ? "true" : "false",
		f->threads);
	json_num_or_null(out, "gomaxprocs", go, f->gomaxprocs.value);
	fputs(",\"gomaxprocs_source\":", out);
	if (go)
		json__string(out, gomaxprocs_source__name(f->gomaxprocs.source));
	else
		fputs("null", out);
	fprintf(out, ",\"gomaxprocs_observed\":%s",
		go && f->gomaxprocs.observed ? "true" : "false");
	fputs(",\"gomaxprocs_assumption\":", out);
	if (proc_facts__gomaxprocs_assumption(f))
		json__string(out, proc_facts__gomaxprocs_assumption(f));
	else
		fputs("null", out);
	json_num_or_null(out, "cpu_limit", f->limit_cpus > 0, f->limit_cpus);
	fputs(",\"cpu_limit_dir\":", out);
	if (f->limit.tightest_dir[0])
		json__string(out, f->limit.tightest_dir);
	else
		fputs("null", out);
	json_num_or_null(out, "recommended_gomaxprocs", f->recommended > 0, f->recommended);
}

void doctor__write_json(FILE *out, const struct doctor_report *r)
{
	const struct proc_facts *f = primary_facts(r);
	const struct cpuwindow *w = r->window;
	size_t i;

	fputs("{\"verdict\":", out);
	json__string(out, doctor_verdict__name(r->verdict));
	fputs(",\"target\":", out);
	json__string(out, r->target);
	fputs(",\"seconds\":", out);
	json__number(out, r->seconds);
	if (f) {
		fputc(',', out);
		json_process_keys(out, f);
	} else {
		fputs(",\"pid\":null,\"gomaxprocs\":null,\"gomaxprocs_source\":null,"
		      "\"cpu_limit\":null,\"recommended_gomaxprocs\":null",
		      out);
	}
	json_num_or_null(out, "cpu_seconds", r->cpu_seconds >= 0, r->cpu_seconds);
	json_num_or_null(out, "periods", r->throttle_known, (double)r->periods);
	json_num_or_null(out, "throttled_periods", r->throttle_known, (double)r->throttled_periods);
	json_num_or_null(out, "throttled_seconds", r->throttle_known, r->throttled_seconds);
	fputs(",\"shares\":", out);
	json_shares(out, &r->shares);
	fputs(",\"processes\":[", out);
	for (i = 0; i < w->nprocs; i++) {
		fputs(i ? ",{" : "{", out);
		json_process_keys(out, &w->procs[i].facts);
		fputs(",\"shares\":", out);
		json_shares(out, &r->proc_shares[i]);
		fputc('}', out);
	}
	fprintf(out, "],\"processes_not_inspected\":%zu}\n", w->skipped);
}
