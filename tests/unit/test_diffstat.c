#include <math.h>

#include "check.h"
#include "diffstat.h"
#include "report.h"
#include "stacks.h"

#define NEAR(a, b, eps) (fabs((a) - (b)) < (eps))

static void z_of_confidence(void)
{
	CHECK(NEAR(diffstat__z(0.95), 1.959964, 1e-5));
	CHECK(NEAR(diffstat__z(0.99), 2.575829, 1e-5));
	CHECK(NEAR(diffstat__z(0.999), 3.290527, 1e-5));
}

/* The interval against numbers worked by hand:
 * 100 of 1000 -> 130 of 1000: a = 101/1002, 131/1002,
 * se = sqrt(a1(1-a1)/1002 + a2(1-a2)/1002) = 0.014278... */
static void share_interval_by_hand(void)
{
	struct delta d;
	double a1 = 101.0 / 1002, a2 = 131.0 / 1002;
	double se = sqrt(a1 * (1 - a1) / 1002 + a2 * (1 - a2) / 1002);

	diffstat__shares(100, 1000, 130, 1000, 1.959964, true, &d);
	CHECK(NEAR(d.pp, 3.0, 1e-9));
	CHECK(NEAR(d.rel, 30.0, 1e-9));
	CHECK(NEAR(d.noise_pp, 100 * 1.959964 * se, 1e-9));
	CHECK(NEAR(se, 0.014278, 1e-5));
	CHECK(!d.noise); /* 3.0pp against +-2.79pp at 95% */
	diffstat__shares(100, 1000, 130, 1000, 2.575829, true, &d);
	CHECK(d.noise); /* against +-3.66pp at 99% */
	/* Absent on one side: a single sample is noise, not "new". */
	diffstat__shares(0, 1000, 1, 1000, 2.575829, true, &d);
	CHECK(isinf(d.rel) && d.rel > 0);
	CHECK(d.noise);
	diffstat__shares(0, 1000, 60, 1000, 2.575829, true, &d);
	CHECK(!d.noise);
	/* Unnormalized: the relative change is of counts. */
	diffstat__shares(100, 1000, 130, 2000, 2.575829, false, &d);
	CHECK(NEAR(d.rel, 30.0, 1e-9));
	CHECK(NEAR(d.pp, -3.5, 1e-9));
	diffstat__counts(10000, 11000, 2.575829, &d);
	CHECK(NEAR(d.rel, 10.0, 1e-9));
	CHECK(!d.noise); /* 1000 against 2.58 * sqrt(21001) = 373 */
	diffstat__counts(100, 110, 2.575829, &d);
	CHECK(d.noise); /* 10 against 37 */
}

static void merges_functions_of_both_sides(void)
{
	static const char *const base_lines[] = { "main;a;c 6", "main;b 4", NULL };
	static const char *const head_lines[] = { "main;a;c 2", "main;d;c 6", "main;b 2", NULL };
	struct profile *base = stacks_profile(base_lines), *head = stacks_profile(head_lines);
	struct diff_opts o;
	struct diffstat d;
	size_t i;

	REQUIRE(base && head);
	diff_opts__init(&o);
	REQUIRE(diffstat__build(base, head, &o, &d) == 0);
	CHECK_INT_EQ(d.samples[0], 10);
	CHECK_INT_EQ(d.samples[1], 10);
	CHECK_INT_EQ(d.n, 5); /* a b c d main */
	for (i = 1; i < d.n; i++)
		CHECK(strcmp(d.fns[i - 1].name, d.fns[i].name) < 0);
	CHECK_STR_EQ(d.fns[3].name, "d");
	CHECK_INT_EQ(d.fns[3].total[0], 0);
	CHECK_INT_EQ(d.fns[3].total[1], 6);
	CHECK(isinf(d.fns[3].d_total.rel));
	CHECK_STR_EQ(d.fns[2].name, "c");
	CHECK_INT_EQ(d.fns[2].self[0], 6);
	CHECK_INT_EQ(d.fns[2].self[1], 8);
	CHECK(NEAR(d.fns[2].d_self.pp, 20, 1e-9));
	diffstat__sort(&d, false);
	/* d +60pp, a -40pp, then b and c (-20pp and +20pp: a tie, by name). */
	CHECK_STR_EQ(d.fns[0].name, "d");
	CHECK_STR_EQ(d.fns[1].name, "a");
	CHECK_STR_EQ(d.fns[2].name, "b");
	CHECK_STR_EQ(d.fns[d.n - 1].name, "main");
	diffstat__sort(&d, true);
	CHECK_STR_EQ(d.fns[0].name, "b");
	diffstat__release(&d);
	o.confidence = 1;
	CHECK(diffstat__build(base, head, &o, &d) < 0);
	profile__free(base);
	profile__free(head);
}

/* fn_table counts like pprof: leaf = self, recursion once in inclusive. */
static void self_and_inclusive_like_pprof(void)
{
	static const char *const lines[] = { "main;f;g;f 3", "main;f 2", "main;h;do_sys_[k] 1",
					     NULL };
	struct profile *p = stacks_profile(lines);
	struct fn_table t;
	const struct fn_stat *f;

	REQUIRE(p);
	REQUIRE(fn_table__build(p, &t) == 0);
	CHECK_INT_EQ(t.samples, 6);
	f = fn_table__find(&t, "f");
	REQUIRE(f);
	CHECK_INT_EQ(f->self, 5);
	CHECK_INT_EQ(f->total, 5);
	f = fn_table__find(&t, "main");
	REQUIRE(f);
	CHECK_INT_EQ(f->self, 0);
	CHECK_INT_EQ(f->total, 6);
	CHECK(fn_table__find(&t, "do_sys_[k]") != NULL);
	CHECK(fn_table__find(&t, "do_sys") == NULL);
	fn_table__release(&t);
	profile__free(p);
}

int main(void)
{
	CHECK_BEGIN("diffstat");
	RUN(z_of_confidence);
	RUN(share_interval_by_hand);
	RUN(merges_functions_of_both_sides);
	RUN(self_and_inclusive_like_pprof);
	return CHECK_END();
}
