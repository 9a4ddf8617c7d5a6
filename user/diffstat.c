#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diffstat.h"
#include "report.h"

void diff_opts__init(struct diff_opts *o)
{
	o->normalize = true;
	o->confidence = 0.99;
}

double diffstat__z(double confidence)
{
	double lo = 0, hi = 40, alpha = 1 - confidence;
	int i;

	/* P(|Z| > z) = erfc(z / sqrt 2) falls from 1 to 0: bisect for alpha. */
	for (i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;

		if (erfc(mid / M_SQRT2) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

static double relative(double before, double after)
{
	if (before > 0)
		return 100.0 * (after / before - 1);
	return after > 0 ? INFINITY : 0;
}

void diffstat__shares(int64_t c1, int64_t n1, int64_t c2, int64_t n2, double z, bool normalize,
		      struct delta *out)
{
	double s1 = n1 > 0 ? (double)c1 / (double)n1 : 0;
	double s2 = n2 > 0 ? (double)c2 / (double)n2 : 0;
	/* Agresti-Caffo: one sample in and one out of the function per side. */
	double a1 = (double)(c1 + 1) / (double)(n1 + 2);
	double a2 = (double)(c2 + 1) / (double)(n2 + 2);
	double se = sqrt(a1 * (1 - a1) / (double)(n1 + 2) + a2 * (1 - a2) / (double)(n2 + 2));

	out->pp = 100 * (s2 - s1);
	out->noise_pp = 100 * z * se;
	out->noise = fabs(a2 - a1) <= z * se;
	out->rel = normalize ? relative(s1, s2) : relative((double)c1, (double)c2);
	out->noise_rel = s1 > 0 ? out->noise_pp / s1 : INFINITY;
	if (!normalize) {
		double half = z * sqrt((double)(c1 + c2 + 1));

		out->noise = fabs((double)c2 - (double)c1) <= half;
		out->noise_rel = c1 > 0 ? 100 * half / (double)c1 : INFINITY;
	}
}

void diffstat__counts(int64_t c1, int64_t c2, double z, struct delta *out)
{
	double half = z * sqrt((double)(c1 + c2 + 1));

	out->pp = 0;
	out->noise_pp = 0;
	out->rel = relative((double)c1, (double)c2);
	out->noise = fabs((double)c2 - (double)c1) <= half;
	out->noise_rel = c1 > 0 ? 100 * half / (double)c1 : INFINITY;
}

static void fill(struct diffstat *d, struct diff_fn *f)
{
	diffstat__shares(f->total[0], d->samples[0], f->total[1], d->samples[1], d->z,
			 d->opts.normalize, &f->d_total);
	diffstat__shares(f->self[0], d->samples[0], f->self[1], d->samples[1], d->z,
			 d->opts.normalize, &f->d_self);
}

static int families(const struct profile *base, const struct profile *head, struct diffstat *d)
{
	struct rt_share share[2];
	int f, err;

	if ((err = report__runtime_shares(base, &share[0])) ||
	    (err = report__runtime_shares(head, &share[1])))
		return err;
	for (f = 0; f < RT_FAMILY__COUNT; f++) {
		d->family[f][0] = (int64_t)share[0].sum[f];
		d->family[f][1] = (int64_t)share[1].sum[f];
		diffstat__shares(d->family[f][0], d->samples[0], d->family[f][1], d->samples[1],
				 d->z, d->opts.normalize, &d->d_family[f]);
	}
	return 0;
}

int diffstat__build(const struct profile *base, const struct profile *head,
		    const struct diff_opts *o, struct diffstat *d)
{
	struct fn_table t[2] = { 0 };
	size_t i = 0, j = 0;
	int err;

	memset(d, 0, sizeof(*d));
	if (!(o->confidence > 0 && o->confidence < 1))
		return -EINVAL;
	d->opts = *o;
	d->z = diffstat__z(o->confidence);
	if ((err = fn_table__build(base, &t[0])) || (err = fn_table__build(head, &t[1])))
		goto cleanup;
	d->samples[0] = t[0].samples;
	d->samples[1] = t[1].samples;
	diffstat__counts(d->samples[0], d->samples[1], d->z, &d->d_samples);
	if ((err = families(base, head, d)))
		goto cleanup;
	d->fns = calloc(t[0].n + t[1].n + 1, sizeof(*d->fns));
	if (!d->fns) {
		err = -ENOMEM;
		goto cleanup;
	}
	/* Both tables are sorted by name: merge them. */
	while (i < t[0].n || j < t[1].n) {
		struct diff_fn *f = &d->fns[d->n++];
		int c = i == t[0].n   ? 1
			: j == t[1].n ? -1
				      : strcmp(t[0].fns[i].name, t[1].fns[j].name);

		if (c <= 0) {
			f->name = t[0].fns[i].name;
			f->self[0] = t[0].fns[i].self;
			f->total[0] = t[0].fns[i++].total;
		}
		if (c >= 0) {
			f->name = t[1].fns[j].name;
			f->self[1] = t[1].fns[j].self;
			f->total[1] = t[1].fns[j++].total;
		}
		fill(d, f);
	}
cleanup:
	fn_table__release(&t[0]);
	fn_table__release(&t[1]);
	if (err)
		diffstat__release(d);
	return err;
}

void diffstat__release(struct diffstat *d)
{
	free(d->fns);
	d->fns = NULL;
	d->n = 0;
}

static int by_change(const struct diff_fn *x, const struct diff_fn *y, bool by_self)
{
	double a = fabs(by_self ? x->d_self.pp : x->d_total.pp);
	double b = fabs(by_self ? y->d_self.pp : y->d_total.pp);

	/* Equal changes computed in different orders differ in the last bit;
	 * they must still tie, so the order is by name. */
	if (fabs(a - b) > 1e-9)
		return a > b ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int by_total_change(const void *a, const void *b)
{
	return by_change(a, b, false);
}

static int by_self_change(const void *a, const void *b)
{
	return by_change(a, b, true);
}

void diffstat__sort(struct diffstat *d, bool by_self)
{
	qsort(d->fns, d->n, sizeof(*d->fns), by_self ? by_self_change : by_total_change);
}
