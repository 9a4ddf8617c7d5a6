#include <errno.h>
#include <math.h>

#include "check.h"
#include "gate.h"
#include "stacks.h"

/* A service whose scheduler takes `sched` of `work + sched` samples. */
static struct profile *service(int work, int sched)
{
	char a[128], b[160];
	const char *lines[3] = { a, b, NULL };

	snprintf(a, sizeof(a), "main.main;main.work;runtime.memmove %d", work);
	snprintf(b, sizeof(b),
		 "runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable;"
		 "futex_[k] %d",
		 sched);
	return stacks_profile(lines);
}

static int eval(const char *expr, const struct profile *base, const struct profile *head,
		bool strict, struct gate_result *r)
{
	struct diff_opts o;
	struct gate g;
	char err[256];
	int rc;

	diff_opts__init(&o);
	rc = gate__parse(expr, &g, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "  parse %s: %s\n", expr, err);
		return rc;
	}
	rc = gate__eval(&g, base, head, &o, strict, r);
	gate__release(&g);
	return rc;
}

static void identical_profiles_trip_nothing(void)
{
	static const char *const gates[] = {
		"runtime.schedule>+2pp", "runtime.schedule>=0pp", "total>+10%", "total<-10%",
		"/runtime/>+0pp",	 "self:futex_[k]>+1%"
	};
	struct profile *a = service(9000, 1000), *b = service(9000, 1000);
	struct gate_result r;
	size_t i;

	REQUIRE(a && b);
	for (i = 0; i < sizeof(gates) / sizeof(gates[0]); i++) {
		REQUIRE(eval(gates[i], a, b, false, &r) == 0);
		CHECK(r.seen);
		CHECK(!r.tripped);
		CHECK(r.delta.noise);
		CHECK(r.value == 0);
	}
	/* >= 0pp exceeds on equal profiles but is noise: only --strict trips. */
	REQUIRE(eval("runtime.schedule>=0pp", a, b, true, &r) == 0);
	CHECK(r.exceeds && r.tripped);
	profile__free(a);
	profile__free(b);
}

/* The scheduler subtree grown by 40% (1000 -> 1400 samples of ~10000). */
static void scheduler_growth_trips(void)
{
	struct profile *base = service(9000, 1000), *head = service(9000, 1400);
	struct gate_result r;

	REQUIRE(base && head);
	REQUIRE(eval("runtime.schedule>+2pp", base, head, false, &r) == 0);
	CHECK_INT_EQ(r.count[0], 1000);
	CHECK_INT_EQ(r.count[1], 1400);
	CHECK(fabs(r.value - (100.0 * 1400 / 10400 - 10)) < 1e-9);
	CHECK(!r.delta.noise);
	CHECK(r.tripped);
	/* The whole subtree, kernel frames included, moved with it. */
	REQUIRE(eval("findRunnable;futex", base, head, false, &r) == -EINVAL);
	REQUIRE(eval("futex_[k]>+2pp", base, head, false, &r) == 0);
	CHECK(r.tripped);
	REQUIRE(eval("/^runtime\\.(schedule|findRunnable)$/>+30%", base, head, false, &r) == 0);
	CHECK(r.tripped); /* share 10% -> 13.5%: +34.6% */
	REQUIRE(eval("runtime.schedule>+5pp", base, head, false, &r) == 0);
	CHECK(!r.tripped && !r.exceeds);
	REQUIRE(eval("main.work<-2pp", base, head, false, &r) == 0);
	CHECK(r.tripped);
	REQUIRE(eval("total>+10%", base, head, false, &r) == 0);
	CHECK(!r.tripped); /* +4% */
	REQUIRE(eval("total>+3%", base, head, false, &r) == 0);
	CHECK(r.tripped);
	/* The family gate counts what the flame graph's banner counts. */
	REQUIRE(eval("@schedule>+2pp", base, head, false, &r) == 0);
	CHECK_INT_EQ(r.count[0], 1000);
	CHECK_INT_EQ(r.count[1], 1400);
	CHECK(r.tripped);
	REQUIRE(eval("@gc-worker>+0pp", base, head, true, &r) == 0);
	CHECK(!r.seen && !r.tripped);
	REQUIRE(eval("self:runtime.schedule>+0pp", base, head, true, &r) == 0);
	CHECK(!r.seen && !r.tripped); /* schedule is never a leaf here */
	profile__free(base);
	profile__free(head);
}

/* The same +3.5pp on 100 samples is well inside the noise. */
static void noise_does_not_trip_without_strict(void)
{
	struct profile *base = service(90, 10), *head = service(90, 14);
	struct gate_result r;

	REQUIRE(base && head);
	REQUIRE(eval("runtime.schedule>+2pp", base, head, false, &r) == 0);
	CHECK(r.value > 2);
	CHECK(r.exceeds);
	CHECK(r.delta.noise);
	CHECK(r.delta.noise_pp > r.value);
	CHECK(!r.tripped);
	REQUIRE(eval("runtime.schedule>+2pp", base, head, true, &r) == 0);
	CHECK(r.tripped);
	profile__free(base);
	profile__free(head);
}

static void parse_error(const char *expr, const char *want)
{
	struct gate g;
	char err[256] = "";

	CHECK_INT_EQ(gate__parse(expr, &g, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want)) {
		fprintf(stderr, "  %s: got \"%s\", want \"%s\"\n", expr, err, want);
		CHECK(0);
	}
	CHECK(!strncmp(err, "'", 1) && strstr(err, expr));
}

static void malformed_expressions_name_the_problem(void)
{
	parse_error("runtime.schedule", "no comparison");
	parse_error("runtime.schedule>2", "no unit");
	parse_error("runtime.schedule>+2px", "unit is not pp");
	parse_error("runtime.schedule>", "no threshold");
	parse_error("runtime.schedule>abc%", "not a number");
	parse_error(">+2pp", "no function name");
	parse_error("total>+2pp", "total takes a relative change");
	parse_error("self:total>+2%", "self:total");
	parse_error("/ab(/>+2pp", "bad regex: ");
	parse_error("//>+2pp", "empty regex");
	parse_error("@sched>+2pp", "unknown runtime family");
	parse_error("self:@schedule>+2pp", "no self share");
}

static void parses_operators_units_and_names(void)
{
	struct gate g;
	char err[256];

	REQUIRE(gate__parse("runtime.schedule>+2pp", &g, err, sizeof(err)) == 0);
	CHECK_INT_EQ(g.subject, GATE_NAME);
	CHECK_STR_EQ(g.name, "runtime.schedule");
	CHECK_INT_EQ(g.op, GATE_GT);
	CHECK_INT_EQ(g.unit, GATE_PP);
	CHECK(g.threshold == 2);
	gate__release(&g);
	REQUIRE(gate__parse(" main.handle <= -20% ", &g, err, sizeof(err)) == 0);
	CHECK_STR_EQ(g.name, "main.handle");
	CHECK_INT_EQ(g.op, GATE_LE);
	CHECK_INT_EQ(g.unit, GATE_PERCENT);
	CHECK(g.threshold == -20);
	gate__release(&g);
	/* C++ names keep their angle brackets: the operator is the last one. */
	REQUIRE(gate__parse("std::vector<int>::push_back>=1.5pp", &g, err, sizeof(err)) == 0);
	CHECK_STR_EQ(g.name, "std::vector<int>::push_back");
	CHECK_INT_EQ(g.op, GATE_GE);
	CHECK(g.threshold == 1.5);
	gate__release(&g);
	REQUIRE(gate__parse("self:/^runtime\\./>+1pp", &g, err, sizeof(err)) == 0);
	CHECK(g.self);
	CHECK_INT_EQ(g.subject, GATE_REGEX);
	CHECK_STR_EQ(g.name, "^runtime\\.");
	gate__release(&g);
	REQUIRE(gate__parse("total<-10%", &g, err, sizeof(err)) == 0);
	CHECK_INT_EQ(g.subject, GATE_TOTAL);
	CHECK_INT_EQ(g.op, GATE_LT);
	gate__release(&g);
	gate__release(&g); /* twice is harmless */
}

/* A gate on a function neither profile has never trips and says so. */
static void unseen_subject(void)
{
	struct profile *a = service(90, 10), *b = service(90, 10);
	struct gate_result r;

	REQUIRE(a && b);
	REQUIRE(eval("runtime.schedul>+0pp", a, b, true, &r) == 0);
	CHECK(!r.seen);
	CHECK(!r.tripped);
	profile__free(a);
	profile__free(b);
}

int main(void)
{
	CHECK_BEGIN("gate");
	RUN(identical_profiles_trip_nothing);
	RUN(scheduler_growth_trips);
	RUN(noise_does_not_trip_without_strict);
	RUN(malformed_expressions_name_the_problem);
	RUN(parses_operators_units_and_names);
	RUN(unseen_subject);
	return CHECK_END();
}
