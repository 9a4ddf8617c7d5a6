#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "flamegraph/runtime_share.h"
#include "json.h"
#include "report.h"

/* ---- per-function counts ------------------------------------------------ */

/* Folded names are strpool ids, so per-name arrays are indexed by id. */
static uint32_t leaf_name(const struct profile *p, const struct profile_sample *s)
{
	const struct profile_location *loc;

	if (!s->nlocs)
		return UINT32_MAX;
	loc = &p->locations[p->sample_locs[s->first_loc]];
	return loc->nlines ? p->functions[p->lines[loc->first_line].function].folded_name
			   : UINT32_MAX;
}

static int compare_by_name(const void *a, const void *b)
{
	return strcmp(((const struct fn_stat *)a)->name, ((const struct fn_stat *)b)->name);
}

int fn_table__build(const struct profile *p, struct fn_table *t)
{
	size_t nstr = strpool__count(p->strings), s, i, n = 0;
	int64_t *self = calloc(nstr + 1, sizeof(*self));
	int64_t *total = calloc(nstr + 1, sizeof(*total));
	uint32_t *stamp = calloc(nstr + 1, sizeof(*stamp));
	int err = -ENOMEM;

	memset(t, 0, sizeof(*t));
	if (!self || !total || !stamp)
		goto cleanup;
	for (s = 0; s < p->nsamples; s++) {
		const struct profile_sample *smp = &p->samples[s];
		uint32_t leaf = leaf_name(p, smp), l;

		t->samples += smp->count;
		if (leaf != UINT32_MAX)
			self[leaf] += smp->count;
		for (i = 0; i < smp->nlocs; i++) {
			const struct profile_location *loc =
				&p->locations[p->sample_locs[smp->first_loc + i]];

			for (l = 0; l < loc->nlines; l++) {
				uint32_t id = p->functions[p->lines[loc->first_line + l].function]
						      .folded_name;

				/* Recursion counts once per sample, as pprof's cum. */
				if (stamp[id] != s + 1) {
					stamp[id] = (uint32_t)s + 1;
					total[id] += smp->count;
				}
			}
		}
	}
	for (i = 0; i < nstr; i++)
		n += total[i] != 0;
	t->fns = calloc(n + 1, sizeof(*t->fns));
	if (!t->fns)
		goto cleanup;
	for (i = 0; i < nstr; i++)
		if (total[i])
			t->fns[t->n++] =
				(struct fn_stat){ profile__str(p, (uint32_t)i), self[i], total[i] };
	qsort(t->fns, t->n, sizeof(*t->fns), compare_by_name);
	err = 0;
cleanup:
	free(self);
	free(total);
	free(stamp);
	return err;
}

void fn_table__release(struct fn_table *t)
{
	free(t->fns);
	memset(t, 0, sizeof(*t));
}

const struct fn_stat *fn_table__find(const struct fn_table *t, const char *name)
{
	struct fn_stat key = { .name = name };

	return t->n ? bsearch(&key, t->fns, t->n, sizeof(key), compare_by_name) : NULL;
}

int report__count_matching(const struct profile *p, bool leaf_only,
			   bool (*match)(void *ctx, const char *name), void *ctx, int64_t *count)
{
	size_t nstr = strpool__count(p->strings), s, i;
	uint8_t *state = calloc(nstr + 1, 1); /* 0 not asked, 1 match, 2 no match */
	uint32_t l;

	if (!state)
		return -ENOMEM;
	*count = 0;
	for (s = 0; s < p->nsamples; s++) {
		const struct profile_sample *smp = &p->samples[s];
		bool hit = false;

		for (i = 0; i < smp->nlocs && !hit; i++) {
			const struct profile_location *loc =
				&p->locations[p->sample_locs[smp->first_loc + i]];

			for (l = 0; l < loc->nlines && !hit; l++) {
				uint32_t id = p->functions[p->lines[loc->first_line + l].function]
						      .folded_name;

				if (!state[id])
					state[id] = match(ctx, profile__str(p, id)) ? 1 : 2;
				hit = state[id] == 1;
				if (leaf_only)
					break;
			}
			if (leaf_only)
				break;
		}
		if (hit)
			*count += smp->count;
	}
	free(state);
	return 0;
}

int report__runtime_shares(const struct profile *p, struct rt_share *out)
{
	struct rt_classifier *c = rt_classifier__new();
	struct profile_names names = { 0 };
	size_t s;
	int n, err = -ENOMEM;

	memset(out, 0, sizeof(*out));
	if (!c || profile_names__init(&names, 128))
		goto cleanup;
	for (s = 0; s < p->nsamples; s++) {
		n = profile__sample_names(p, s, false, true, &names);
		if (n < 0) {
			err = n;
			goto cleanup;
		}
		err = rt_share__add_stack(out, c, names.names, NULL, (size_t)n,
					  (double)p->samples[s].count);
		if (err)
			goto cleanup;
	}
	err = 0;
cleanup:
	profile_names__release(&names);
	rt_classifier__free(c);
	return err;
}

/* ---- writers ------------------------------------------------------------ */

static int by_self(const void *a, const void *b)
{
	const struct fn_stat *x = a, *y = b;

	if (x->self != y->self)
		return x->self > y->self ? -1 : 1;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int by_total(const void *a, const void *b)
{
	const struct fn_stat *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	if (x->self != y->self)
		return x->self > y->self ? -1 : 1;
	return strcmp(x->name, y->name);
}

static double pct(int64_t part, int64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

/* Processes by samples: (comm, pid) of the samples that carry them. */
struct proc_row {
	const char *comm;
	uint32_t pid;
	int64_t samples;
};

static int by_samples(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;
	int c;

	if (x->samples != y->samples)
		return x->samples > y->samples ? -1 : 1;
	c = strcmp(x->comm, y->comm);
	return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

static int by_process(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;
	int c = strcmp(x->comm, y->comm);

	return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

static struct proc_row *processes(const struct profile *p, size_t *n)
{
	struct proc_row *rows = calloc(p->nsamples + 1, sizeof(*rows));
	size_t i, k = 0;

	*n = 0;
	if (!rows)
		return NULL;
	for (i = 0; i < p->nsamples; i++) {
		const struct profile_sample *s = &p->samples[i];

		if (s->comm != PROFILE_NO_STRING || s->pid)
			rows[k++] = (struct proc_row){ s->comm != PROFILE_NO_STRING
							       ? profile__str(p, s->comm)
							       : "",
						       s->pid, s->count };
	}
	qsort(rows, k, sizeof(*rows), by_process);
	for (i = 0; i < k; i++) {
		if (*n && !by_process(&rows[*n - 1], &rows[i]))
			rows[*n - 1].samples += rows[i].samples;
		else
			rows[(*n)++] = rows[i];
	}
	qsort(rows, *n, sizeof(*rows), by_samples);
	return rows;
}

/* by_self lists functions that are a leaf somewhere, the others every one. */
static void text_table(FILE *fp, const char *title, const struct fn_stat *fns, size_t n, size_t top,
		       int64_t samples, bool by_self)
{
	size_t i;

	fprintf(fp, "\n%s:\n%10s %7s %10s %7s  %s\n", title, "self", "self%", "inclusive", "incl%",
		"function");
	for (i = 0; i < n && (!top || i < top) && (!by_self || fns[i].self); i++)
		fprintf(fp, "%10" PRId64 " %6.2f%% %10" PRId64 " %6.2f%%  %s\n", fns[i].self,
			pct(fns[i].self, samples), fns[i].total, pct(fns[i].total, samples),
			fns[i].name);
}

static void text_header(const struct profile *p, const struct report_opts *o, int64_t samples,
			FILE *fp)
{
	const struct profile_meta *m = &p->meta;

	fprintf(fp, "podflame report: %s (%s)\n", o->source ? o->source : "-",
		o->format ? o->format : "profile");
	fprintf(fp, "samples: %" PRId64, samples);
	if (m->period_ns > 0)
		fprintf(fp, " (%.2f s of CPU", (double)samples * (double)m->period_ns / 1e9);
	if (m->frequency_hz)
		fprintf(fp, " at %u Hz", m->frequency_hz);
	if (m->period_ns > 0)
		fputc(')', fp);
	if (m->duration_ns > 0)
		fprintf(fp, "; window %.1f s", (double)m->duration_ns / 1e9);
	fputc('\n', fp);
}

static void text_runtime(const struct rt_share *shares, FILE *fp)
{
	int f;

	fputs("\nGo runtime (inclusive share of samples):\n", fp);
	for (f = 0; f < RT_FAMILY__COUNT; f++)
		fprintf(fp, "  %-24s %6.2f%% %10.0f  (%s)\n", rt_family__name(f),
			100 * rt_share__family(shares, f), shares->sum[f], rt_family__members(f));
}

/* What both report formats print: runtime shares, the function table and
 * the processes. */
struct report_data {
	struct rt_share shares;
	struct fn_table t;
	struct proc_row *procs;
	size_t nprocs;
};

static int gather(const struct profile *p, struct report_data *d)
{
	int err = report__runtime_shares(p, &d->shares);

	if (!err)
		err = fn_table__build(p, &d->t);
	if (err)
		return err;
	d->procs = processes(p, &d->nprocs);
	if (!d->procs) {
		fn_table__release(&d->t);
		return -ENOMEM;
	}
	return 0;
}

static void release(struct report_data *d)
{
	free(d->procs);
	fn_table__release(&d->t);
}

int report__write_text(const struct profile *p, const struct report_opts *o, FILE *fp)
{
	struct report_data d;
	size_t i;
	int err = gather(p, &d);

	if (err)
		return err;
	text_header(p, o, d.t.samples, fp);
	text_runtime(&d.shares, fp);
	qsort(d.t.fns, d.t.n, sizeof(*d.t.fns), by_self);
	text_table(fp, "top functions by self", d.t.fns, d.t.n, o->top, d.t.samples, true);
	qsort(d.t.fns, d.t.n, sizeof(*d.t.fns), by_total);
	text_table(fp, "top functions by inclusive", d.t.fns, d.t.n, o->top, d.t.samples, false);
	if (d.nprocs) {
		fprintf(fp, "\nprocesses:\n%10s %7s  %s\n", "samples", "share", "process");
		for (i = 0; i < d.nprocs && (!o->top || i < o->top); i++)
			fprintf(fp, "%10" PRId64 " %6.2f%%  %s [%u]\n", d.procs[i].samples,
				pct(d.procs[i].samples, d.t.samples), d.procs[i].comm,
				d.procs[i].pid);
	}
	release(&d);
	return 0;
}

static void json_runtime(const struct rt_share *shares, FILE *fp)
{
	int f;

	fputs("  \"runtime\": [", fp);
	for (f = 0; f < RT_FAMILY__COUNT; f++) {
		fputs(f ? ",\n    {\"family\": " : "\n    {\"family\": ", fp);
		json__string(fp, rt_family__name(f));
		fputs(", \"samples\": ", fp);
		json__number(fp, shares->sum[f]);
		fputs(", \"share\": ", fp);
		json__number(fp, rt_share__family(shares, f));
		fputc('}', fp);
	}
	fputs("\n  ],\n", fp);
}

int report__write_json(const struct profile *p, const struct report_opts *o, FILE *fp)
{
	struct report_data d;
	size_t i;
	int err = gather(p, &d);

	if (err)
		return err;
	fputs("{\n  \"source\": ", fp);
	json__string(fp, o->source ? o->source : "-");
	fputs(",\n  \"format\": ", fp);
	json__string(fp, o->format ? o->format : "profile");
	fprintf(fp,
		",\n  \"samples\": %" PRId64 ",\n  \"frequency_hz\": %u,\n"
		"  \"period_ns\": %" PRId64 ",\n  \"duration_ns\": %" PRId64 ",\n",
		d.t.samples, p->meta.frequency_hz, p->meta.period_ns, p->meta.duration_ns);
	json_runtime(&d.shares, fp);
	qsort(d.t.fns, d.t.n, sizeof(*d.t.fns), by_self);
	fputs("  \"functions\": [", fp);
	for (i = 0; i < d.t.n && (!o->top || i < o->top); i++) {
		fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", fp);
		json__string(fp, d.t.fns[i].name);
		fprintf(fp, ", \"self\": %" PRId64 ", \"inclusive\": %" PRId64 ", \"self_share\": ",
			d.t.fns[i].self, d.t.fns[i].total);
		json__number(fp, pct(d.t.fns[i].self, d.t.samples) / 100);
		fputs(", \"inclusive_share\": ", fp);
		json__number(fp, pct(d.t.fns[i].total, d.t.samples) / 100);
		fputc('}', fp);
	}
	fputs(d.t.n ? "\n  ],\n  \"processes\": [" : "],\n  \"processes\": [", fp);
	for (i = 0; i < d.nprocs; i++) {
		fputs(i ? ",\n    {\"comm\": " : "\n    {\"comm\": ", fp);
		json__string(fp, d.procs[i].comm);
		fprintf(fp, ", \"pid\": %u, \"samples\": %" PRId64 "}", d.procs[i].pid,
			d.procs[i].samples);
	}
	fputs(d.nprocs ? "\n  ]\n}\n" : "]\n}\n", fp);
	release(&d);
	return 0;
}
