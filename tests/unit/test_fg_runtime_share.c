/* Go runtime families across Go releases, inclusive shares, highlights. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "check.h"
#include "flamegraph/runtime_share.h"

static int family(const char *name)
{
	return rt_family__of(name, strlen(name));
}

static void test_schedule_names(void)
{
	/* Go 1.16 .. 1.23 spellings. */
	CHECK_INT_EQ(family("runtime.schedule"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.findrunnable"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.findRunnable"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.stealWork"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.park_m"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.runqsteal"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.runqgrab"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.gosched_m"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.goschedImpl"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.goschedguarded_m"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.goschedIfBusy"), RT_SCHEDULE);
	/* closures of members are members; perf's inline annotation is ignored */
	CHECK_INT_EQ(family("runtime.schedule.func1"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.findRunnable.func2.1"), RT_SCHEDULE);
	CHECK_INT_EQ(family("runtime.findRunnable_[i]"), RT_SCHEDULE);
}

static void test_gc_names(void)
{
	CHECK_INT_EQ(family("runtime.gcBgMarkWorker"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.gcBgMarkWorker.func1"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.gcBgMarkWorker.func2"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.gcDrain"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.gcDrainN"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.gcDrainMarkWorkerIdle"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.gcDrainMarkWorkerDedicated"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.gcDrainMarkWorkerFractional"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.markroot"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.markrootBlock"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.markrootSpans"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.scanobject"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.scanblock"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.scanstack"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.scanframeworker"), RT_GC_WORKER);
	CHECK_INT_EQ(family("runtime.gcAssistAlloc"), RT_GC_ASSIST);
	CHECK_INT_EQ(family("runtime.gcAssistAlloc1"), RT_GC_ASSIST);
	CHECK_INT_EQ(family("runtime.gcAssistAlloc.func1"), RT_GC_ASSIST);
}

static void test_not_members(void)
{
	CHECK_INT_EQ(family("runtime.scheduler"), -1);
	CHECK_INT_EQ(family("runtime.schedule.funcx"), -1);
	CHECK_INT_EQ(family("runtime.schedule.func"), -1);
	CHECK_INT_EQ(family("runtime.(*gcControllerState).findRunnableGCWorker"), -1);
	CHECK_INT_EQ(family("runtime.findRunnableGCWorker"), -1);
	CHECK_INT_EQ(family("runtime.Gosched"), -1);
	CHECK_INT_EQ(family("runtime.mallocgc"), -1);
	CHECK_INT_EQ(family("runtime.scanobjectx"), -1);
	CHECK_INT_EQ(family("runtime.greyobject"), -1);
	CHECK_INT_EQ(family("runtime.mcall"), -1);
	CHECK_INT_EQ(family("main.schedule"), -1);
	CHECK_INT_EQ(family("myruntime.schedule"), -1);
	CHECK_INT_EQ(family("runtime.schedule_[k]"), -1);
	CHECK_INT_EQ(family("schedule"), -1);
	CHECK_INT_EQ(family(""), -1);
	CHECK_INT_EQ(rt_family__of("runtime.schedulex", 16), RT_SCHEDULE); /* len bounds the name */
}

static int add(struct rt_share *s, struct rt_classifier *c, const char *stack, double count)
{
	const char *frames[64];
	char buf[1024], *p, *save = NULL;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (p = strtok_r(buf, ";", &save); p && n < 64; p = strtok_r(NULL, ";", &save))
		frames[n++] = p;
	return rt_share__add_stack(s, c, frames, NULL, n, count);
}

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-12;
}

static void test_inclusive_shares(void)
{
	struct rt_classifier *c = rt_classifier__new();
	struct rt_share s = { 0 };
	static const struct {
		const char *stack;
		double count;
	} stacks[] = {
		/* schedule's callees count: the stack contains schedule */
		{ "runtime.mstart;runtime.schedule;runtime.findRunnable;runtime.netpoll;"
		  "epoll_wait_[k]",
		  10 },
		/* twice in one stack counts once */
		{ "runtime.mcall;runtime.park_m;runtime.schedule;runtime.findrunnable;"
		  "runtime.stealWork;runtime.runqsteal",
		  5 },
		{ "runtime.gcBgMarkWorker;runtime.systemstack;"
		  "runtime.gcDrainMarkWorkerDedicated;runtime.scanobject",
		  20 },
		/* an assist drains with the worker's functions: assist, not worker */
		{ "main.handler;runtime.mallocgc;runtime.gcAssistAlloc;runtime.gcAssistAlloc1;"
		  "runtime.gcDrainN;runtime.scanobject",
		  4 },
		{ "main.main;main.work;runtime.mallocgc", 61 },
	};
	size_t i;

	REQUIRE(c);
	for (i = 0; i < sizeof(stacks) / sizeof(stacks[0]); i++)
		CHECK_INT_EQ(add(&s, c, stacks[i].stack, stacks[i].count), 0);
	CHECK(near(s.total, 100));
	CHECK(near(rt_share__family(&s, RT_SCHEDULE), 0.15));
	CHECK(near(rt_share__family(&s, RT_GC_WORKER), 0.20));
	CHECK(near(rt_share__family(&s, RT_GC_ASSIST), 0.04));
	CHECK(near(s.sum[RT_SCHEDULE], 15));
	rt_classifier__free(c);
}

static void test_empty_share(void)
{
	struct rt_share s = { 0 };

	CHECK(rt_share__family(&s, RT_SCHEDULE) == 0);
	CHECK(rt_share__fraction(&s, RT_MAX_BITS) == 0);
	CHECK(rt_share__highlight(&s, 99) == 0);
}

static void test_highlights(void)
{
	struct rt_classifier *c = rt_classifier__new();
	struct rt_share s = { 0 };
	char err[128] = "";
	int i;

	REQUIRE(c);
	CHECK_INT_EQ(rt_classifier__add_highlight(c, "^main\\.(work|idle)$", err, sizeof(err)), 0);
	CHECK_INT_EQ(rt_classifier__add_highlight(c, "json", err, sizeof(err)), 0);
	CHECK_INT_EQ(rt_classifier__add_highlight(c, "([unclosed", err, sizeof(err)), -EINVAL);
	CHECK(strlen(err) > 0);
	CHECK_INT_EQ(rt_classifier__highlights(c), 2);
	CHECK_STR_EQ(rt_classifier__highlight(c, 1), "json");
	CHECK(rt_classifier__highlight(c, 2) == NULL);
	CHECK(rt_classifier__classify(c, "main.work") == RT_BIT_HIGHLIGHT(0));
	CHECK(rt_classifier__classify(c, "main.worker") == 0);
	CHECK(rt_classifier__classify(c, "encoding/json.Marshal") == RT_BIT_HIGHLIGHT(1));
	CHECK(rt_classifier__classify(c, "runtime.schedule") == RT_BIT_FAMILY(RT_SCHEDULE));
	CHECK_INT_EQ(add(&s, c, "main.main;main.work;encoding/json.Marshal", 3), 0);
	CHECK_INT_EQ(add(&s, c, "main.main;main.idle;main.idle", 1), 0);
	CHECK_INT_EQ(add(&s, c, "main.main;runtime.schedule", 4), 0);
	CHECK(near(rt_share__highlight(&s, 0), 0.5));
	CHECK(near(rt_share__highlight(&s, 1), 3.0 / 8));
	CHECK(near(rt_share__family(&s, RT_SCHEDULE), 0.5));
	for (i = 2; i < RT_MAX_HIGHLIGHTS; i++)
		CHECK_INT_EQ(rt_classifier__add_highlight(c, "x", NULL, 0), 0);
	CHECK_INT_EQ(rt_classifier__add_highlight(c, "x", err, sizeof(err)), -E2BIG);
	rt_classifier__free(c);
	rt_classifier__free(NULL);
}

/* The cached streaming path agrees with classifying each name afresh. */
static void test_cache_agrees(void)
{
	static const char *const names[] = {
		"runtime.schedule", "main.work",
		"runtime.gcDrainN", "x",
		"runtime.schedule", "runtime.gcAssistAlloc1",
		"main.work",	    "",
	};
	struct rt_classifier *c = rt_classifier__new();
	uint64_t mask, want = 0;
	size_t i;

	REQUIRE(c);
	CHECK_INT_EQ(rt_classifier__add_highlight(c, "work", NULL, 0), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		CHECK_INT_EQ(rt_classifier__stack_mask(c, &names[i], NULL, 1, &mask), 0);
		CHECK(mask == rt_classifier__classify(c, names[i]));
		want |= mask;
	}
	CHECK_INT_EQ(rt_classifier__stack_mask(c, names, NULL, 8, &mask), 0);
	CHECK(mask == want);
	CHECK(mask == (RT_BIT_FAMILY(RT_SCHEDULE) | RT_BIT_FAMILY(RT_GC_WORKER) |
		       RT_BIT_FAMILY(RT_GC_ASSIST) | RT_BIT_HIGHLIGHT(0)));
	rt_classifier__free(c);
}

static void test_names(void)
{
	CHECK_STR_EQ(rt_family__name(RT_SCHEDULE), "runtime.schedule");
	CHECK_STR_EQ(rt_family__name(RT_GC_WORKER), "runtime.gcBgMarkWorker");
	CHECK_STR_EQ(rt_family__name(RT_GC_ASSIST), "GC assist");
	CHECK(strstr(rt_family__members(RT_SCHEDULE), "findRunnable") != NULL);
}

int main(void)
{
	CHECK_BEGIN("test_fg_runtime_share");
	RUN(test_schedule_names);
	RUN(test_gc_names);
	RUN(test_not_members);
	RUN(test_inclusive_shares);
	RUN(test_empty_share);
	RUN(test_highlights);
	RUN(test_cache_agrees);
	RUN(test_names);
	return CHECK_END();
}
