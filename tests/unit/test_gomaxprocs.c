/* The GOMAXPROCS rules per Go version, automaxprocs and the environment. */
#include <errno.h>

#include "check.h"
#include "gomaxprocs.h"

static struct cpu_quota quota(double cpus)
{
	struct cpu_quota q = { .quota_us = -1, .period_us = 100000 };

	if (cpus > 0)
		q.quota_us = (int64_t)(cpus * 100000);
	return q;
}

static struct gomaxprocs infer(const char *version, double leaf_cpus, unsigned affinity)
{
	struct gomaxprocs_facts f = { .go_version = version,
				      .affinity_cpus = affinity,
				      .leaf = quota(leaf_cpus) };
	struct gomaxprocs g;

	gomaxprocs__infer(&f, &g);
	return g;
}

static void before_125_is_the_affinity_count(void)
{
	struct gomaxprocs g = infer("go1.21.3", 1, 64);

	CHECK_INT_EQ(g.value, 64);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_AFFINITY);
	CHECK(!g.observed);
	CHECK(!g.version_unknown);
	g = infer("go1.24.9", 0.5, 64);
	CHECK_INT_EQ(g.value, 64);
}

static void from_125_follows_the_leaf_quota(void)
{
	struct gomaxprocs g = infer("go1.25.0", 0.5, 64);

	/* max(2, ceil(0.5)): a 0.5-CPU pod gets 2. */
	CHECK_INT_EQ(g.value, 2);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_CGROUP);
	CHECK(g.go_line_assumed); /* no build info given */
	g = infer("go1.25rc2", 3.5, 64);
	CHECK_INT_EQ(g.value, 4);
	g = infer("devel go1.26-abcdef Tue Jan 1", 8, 64);
	CHECK_INT_EQ(g.value, 8);
	/* Capped by the affinity count. */
	g = infer("go1.25.1", 100, 64);
	CHECK_INT_EQ(g.value, 64);
	g = infer("go1.25.1", 0.5, 1);
	CHECK_INT_EQ(g.value, 1);
	/* No quota on the leaf: the CPU count. */
	g = infer("go1.25.1", 0, 64);
	CHECK_INT_EQ(g.value, 64);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_AFFINITY);
}

static void containermaxprocs_off(void)
{
	struct gomaxprocs_facts f = { .go_version = "go1.25.0",
				      .buildinfo = true,
				      .affinity_cpus = 64,
				      .leaf = quota(2),
				      .env_godebug = "http2debug=1,containermaxprocs=0" };
	struct gomaxprocs g;

	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.value, 64);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_AFFINITY);
	/* A go.mod go line below 1.25 puts containermaxprocs=0 into
	 * DefaultGODEBUG. */
	f.env_godebug = NULL;
	f.default_godebug = "asynctimerchan=1,containermaxprocs=0,updatemaxprocs=0";
	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.value, 64);
	/* The environment overrides the binary's default; the last one wins. */
	f.env_godebug = "containermaxprocs=0,containermaxprocs=1";
	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.value, 2);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_CGROUP);
	CHECK(!g.go_line_assumed);
}

static void automaxprocs_floors(void)
{
	struct gomaxprocs_facts f = { .go_version = "go1.21.0",
				      .automaxprocs = true,
				      .affinity_cpus = 64,
				      .leaf = quota(0.5) };
	struct gomaxprocs g;

	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.value, 1); /* max(1, floor(0.5)) */
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_AUTOMAXPROCS);
	f.leaf = quota(2.7);
	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.value, 2);
	/* Even on Go 1.25 it sets the value itself at start. */
	f.go_version = "go1.25.0";
	f.leaf = quota(0.5);
	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.value, 1);
	/* No quota: automaxprocs leaves the runtime's default. */
	f.go_version = "go1.22.0";
	f.leaf = quota(0);
	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.value, 64);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_AFFINITY);
}

static void environment_wins(void)
{
	struct gomaxprocs_facts f = { .go_version = "go1.25.0",
				      .automaxprocs = true,
				      .affinity_cpus = 64,
				      .leaf = quota(0.5),
				      .env_gomaxprocs = "64" };
	struct gomaxprocs g;

	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.value, 64);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_ENV);
	CHECK(g.observed);
	/* What Go ignores, podflame ignores. */
	f.env_gomaxprocs = "0";
	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_AUTOMAXPROCS);
	f.env_gomaxprocs = "-4";
	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_AUTOMAXPROCS);
	f.env_gomaxprocs = " 4";
	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_AUTOMAXPROCS);
	f.env_gomaxprocs = "99999999999";
	gomaxprocs__infer(&f, &g);
	CHECK_INT_EQ(g.source, GOMAXPROCS_SRC_AUTOMAXPROCS);
}

static void unknown_version_assumes_old_rule(void)
{
	struct gomaxprocs g = infer(NULL, 0.5, 64);

	CHECK_INT_EQ(g.value, 64);
	CHECK(g.version_unknown);
	g = infer("weird", 0.5, 64);
	CHECK(g.version_unknown);
}

static void recommends_floor_at_least_one(void)
{
	CHECK_INT_EQ(gomaxprocs__recommend(0.5), 1);
	CHECK_INT_EQ(gomaxprocs__recommend(0.1), 1);
	CHECK_INT_EQ(gomaxprocs__recommend(1.0), 1);
	CHECK_INT_EQ(gomaxprocs__recommend(2.9), 2);
	CHECK_INT_EQ(gomaxprocs__recommend(64), 64);
	CHECK_INT_EQ(gomaxprocs__recommend(0), 0);
}

static void parses_versions_and_godebug(void)
{
	unsigned minor;
	char v[8];

	CHECK_INT_EQ(go_version__minor("go1.19.8", &minor), 0);
	CHECK_INT_EQ(minor, 19);
	CHECK_INT_EQ(go_version__minor("go1.21.3 X:boringcrypto", &minor), 0);
	CHECK_INT_EQ(minor, 21);
	CHECK_INT_EQ(go_version__minor("go2.0", &minor), -EINVAL);
	CHECK_INT_EQ(go_version__minor("go1.", &minor), -EINVAL);
	CHECK_INT_EQ(go_version__minor(NULL, &minor), -EINVAL);
	CHECK(godebug__lookup("a=1,b=22,a=3", "a", v, sizeof(v)));
	CHECK_STR_EQ(v, "3");
	CHECK(godebug__lookup("a=1,b=22", "b", v, sizeof(v)));
	CHECK_STR_EQ(v, "22");
	CHECK(!godebug__lookup("ab=1", "a", v, sizeof(v)));
	CHECK(!godebug__lookup("", "a", v, sizeof(v)));
}

int main(void)
{
	CHECK_BEGIN("gomaxprocs");
	RUN(before_125_is_the_affinity_count);
	RUN(from_125_follows_the_leaf_quota);
	RUN(containermaxprocs_off);
	RUN(automaxprocs_floors);
	RUN(environment_wins);
	RUN(unknown_version_assumes_old_rule);
	RUN(recommends_floor_at_least_one);
	RUN(parses_versions_and_godebug);
	return CHECK_END();
}
