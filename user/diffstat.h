/* Per-function deltas between a base and a head profile, and whether
 * sampling noise alone explains each one.
 *
 * Normalization (the default) compares shares: a function's samples over
 * its side's total, so a head run that lasted longer or ran more requests is
 * not a regression by itself. Deltas of shares are in percentage points
 * (pp); the relative change of a share is in %. Without normalization the
 * relative change compares raw counts (pp stay shares: they are defined on
 * shares).
 *
 * The noise interval. A profiler's samples are draws: a function with a true
 * share p, seen in n samples, shows c ~ Binomial(n, p), so two runs of the
 * same code disagree by chance. For c1 of n1 and c2 of n2 the difference of
 * shares has standard error
 *     se = sqrt(p1 (1 - p1) / n1 + p2 (1 - p2) / n2)
 * and a delta is noise when its confidence interval, d +- z se, contains 0
 * (z = 2.576 for the default 99%, two-sided). The shares are taken with
 * Agresti and Caffo's adjustment, p = (c + 1) / (n + 2): the plain (Wald)
 * interval is zero-width for a function absent on one side and far too
 * narrow for one seen a handful of times, which would make a single stray
 * sample a "significant" regression. Raw counts (total, and % gates
 * without normalization) are Poisson: the difference c2 - c1 has standard
 * error sqrt(c1 + c2 + 1).
 * Samples of one run are not quite independent (a stuck thread is sampled
 * many times in a row), so the interval is a floor on the real noise, which
 * is one reason the default confidence is 99% and not 95%. */
#ifndef PODFLAME_DIFFSTAT_H
#define PODFLAME_DIFFSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flamegraph/runtime_share.h"
#include "profile.h"

#define DIFF_BASE 0
#define DIFF_HEAD 1

struct diff_opts {
	bool normalize; /* compare shares (true) or raw counts */
	double confidence; /* of the noise interval, in (0, 1): 0.99 */
};

void diff_opts__init(struct diff_opts *o);

/* One compared quantity. */
struct delta {
	double pp; /* share(head) - share(base), percentage points */
	double rel; /* relative change in %: of shares, or of counts when not
		       normalized; +INFINITY when new, 0 when absent on both */
	double noise_pp; /* half-width of the interval on the share delta, pp */
	double noise_rel; /* the same interval as a relative change, % (INFINITY
			     when the base is 0) */
	bool noise; /* the interval contains 0 */
};

/* The z of a two-sided interval: 2.576 for 0.99. */
double diffstat__z(double confidence);
/* Delta of c1/n1 -> c2/n2 as above. */
void diffstat__shares(int64_t c1, int64_t n1, int64_t c2, int64_t n2, double z, bool normalize,
		      struct delta *out);
/* Delta of raw counts c1 -> c2 (total samples): rel and noise only. */
void diffstat__counts(int64_t c1, int64_t c2, double z, struct delta *out);

struct diff_fn {
	const char *name; /* valid while both profiles live */
	int64_t self[2], total[2]; /* [DIFF_BASE], [DIFF_HEAD] */
	struct delta d_self, d_total;
};

struct diffstat {
	int64_t samples[2];
	struct delta d_samples;
	/* Go runtime families (inclusive, as the flame graph's banner). */
	int64_t family[RT_FAMILY__COUNT][2];
	struct delta d_family[RT_FAMILY__COUNT];
	struct diff_opts opts;
	double z;
	struct diff_fn *fns; /* every function of either side, sorted by name */
	size_t n;
};

/* 0, -EINVAL (confidence out of range), -ENOMEM. */
int diffstat__build(const struct profile *base, const struct profile *head,
		    const struct diff_opts *o, struct diffstat *d);
void diffstat__release(struct diffstat *d);

/* Sorts d->fns by the size of the change (|pp| of the inclusive share, or of
 * the self share), largest first, then by name. */
void diffstat__sort(struct diffstat *d, bool by_self);

#endif
