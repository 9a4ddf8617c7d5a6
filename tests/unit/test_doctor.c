/* The doctor's judgement and reports over a constructed window: processes'
 * facts, throttling readings and a profile with known runtime stacks. The
 * real thing end to end is tests/integration/doctor_seeds.sh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "commands.h"
#include "doctor.h"

/* Adds count samples of pid with the stack given root first. */
static void add_stack(struct profile *p, int pid, int64_t count, const char *const *frames,
		      size_t n)
{
	uint32_t locs[16];
	size_t i;

	for (i = 0; i < n; i++) {
		struct profile_line line = { 0 };
		uint32_t loc;

		REQUIRE(profile__add_function(p, frames[i], "", FRAME_GO, &line.function) == 0);
		REQUIRE(profile__add_location(p, 0, PROFILE_NO_MAPPING, &line, 1, &loc) == 0);
		locs[n - 1 - i] = loc; /* leaf first */
	}
	REQUIRE(profile__add_sample(p, locs, n, count, "app", (uint32_t)pid) == 0);
}

/* 100 samples of pid 10: 30 in the scheduler, 20 in GC workers, 10 in GC
 * assist, 40 in the program. */
static struct profile *seeds_profile(void)
{
	static const char *const sched[] = { "runtime.mcall", "runtime.park_m", "runtime.schedule",
					     "runtime.findRunnable", "runtime.stealWork" };
	static const char *const gc[] = { "runtime.gcBgMarkWorker", "runtime.gcDrain",
					  "runtime.scanobject" };
	static const char *const assist[] = { "main.handle", "runtime.mallocgc",
					      "runtime.gcAssistAlloc", "runtime.gcDrainN" };
	static const char *const work[] = { "main.main", "main.handle" };
	struct profile *p = profile__new();

	if (!p)
		return NULL;
	add_stack(p, 10, 30, sched, 5);
	add_stack(p, 10, 20, gc, 3);
	add_stack(p, 10, 10, assist, 4);
	add_stack(p, 10, 40, work, 2);
	return p;
}

static struct cpuwindow_throttle throttle = {
	.dir = "/sys/fs/cgroup/cpu/pod/ctr",
	.before = { .nr_periods = 100,
		    .nr_throttled = 5,
		    .throttled_usec = 1000,
		    .has_throttling = true },
	.after = { .nr_periods = 200,
		   .nr_throttled = 65,
		   .throttled_usec = 4001000,
		   .has_throttling = true },
	.ok = true,
};

/* One Go process under a 1-CPU limit running with GOMAXPROCS g. */
static void window_of(struct cpuwindow *w, struct cpuwindow_proc *proc, unsigned g, bool go)
{
	memset(w, 0, sizeof(*w));
	memset(proc, 0, sizeof(*proc));
	proc->facts.pid = 10;
	strcpy(proc->facts.comm, "app");
	proc->facts.go.is_go = go;
	strcpy(proc->facts.go.version, "go1.21.3");
	proc->facts.affinity_cpus = 64;
	proc->facts.limit_cpus = 1;
	proc->facts.limit.cpus = 1;
	proc->facts.limit.tightest.quota_us = 100000;
	proc->facts.limit.tightest.period_us = 100000;
	strcpy(proc->facts.limit.tightest_dir, throttle.dir);
	proc->facts.recommended = 1;
	proc->facts.has_env_gomaxprocs = true;
	snprintf(proc->facts.env_gomaxprocs, sizeof(proc->facts.env_gomaxprocs), "%u", g);
	proc->facts.gomaxprocs.value = g;
	proc->facts.gomaxprocs.source = GOMAXPROCS_SRC_ENV;
	proc->facts.gomaxprocs.observed = true;
	proc->throttle = 0;
	w->procs = proc;
	w->nprocs = 1;
	w->throttles = &throttle;
	w->nthrottles = 1;
	w->begin_s = 100;
	w->end_s = 110;
}

static char *render(const struct doctor_report *r, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (json)
		doctor__write_json(f, r);
	else
		doctor__write_text(f, r);
	fclose(f);
	return buf;
}

static void computes_shares(void)
{
	struct profile *p = seeds_profile();
	struct doctor_shares s;

	REQUIRE(p);
	REQUIRE(doctor__shares(p, 0, &s) == 0);
	CHECK(s.total == 100);
	CHECK(s.schedule == 0.30);
	CHECK(s.gc_worker == 0.20); /* the assist's gcDrainN is not a worker */
	CHECK(s.gc_assist == 0.10);
	REQUIRE(doctor__shares(p, 11, &s) == 0);
	CHECK(s.total == 0 && s.schedule == 0);
	profile__free(p);
}

static void flags_gomaxprocs_above_limit(void)
{
	struct profile *p = seeds_profile();
	struct cpuwindow w;
	struct cpuwindow_proc proc;
	struct doctor_report r = { .target = "pod x", .seconds = 10 };
	char *text, *json;

	REQUIRE(p);
	window_of(&w, &proc, 64, true);
	r.window = &w;
	r.prof = p;
	REQUIRE(doctor__judge(&r) == 0);
	CHECK_INT_EQ(r.verdict, DOCTOR_GOMAXPROCS_ABOVE_LIMIT);
	CHECK_INT_EQ(doctor__exit_status(&r), PF_EXIT_FINDING);
	CHECK_INT_EQ(r.primary, 0);
	CHECK(r.throttle_known);
	CHECK_INT_EQ(r.periods, 100);
	CHECK_INT_EQ(r.throttled_periods, 60);
	CHECK(r.throttled_seconds == 4.0);
	json = render(&r, true);
	REQUIRE(json);
	CHECK(strstr(json, "\"verdict\":\"gomaxprocs_above_limit\""));
	CHECK(strstr(json, "\"gomaxprocs\":64,\"gomaxprocs_source\":\"env\""));
	CHECK(strstr(json, "\"cpu_limit\":1,"));
	CHECK(strstr(json, "\"recommended_gomaxprocs\":1"));
	CHECK(strstr(json, "\"throttled_periods\":60,\"throttled_seconds\":4"));
	CHECK(strstr(json, "\"shares\":{\"runtime.schedule\":0.3,\"runtime.gcBgMarkWorker\":0.2,"
			   "\"runtime.gcAssistAlloc\":0.1,\"samples\":100}"));
	text = render(&r, false);
	REQUIRE(text);
	CHECK(strstr(text, "throttled   60 of 100 periods (60%), 4.00 s"));
	CHECK(strstr(text, "verdict: gomaxprocs_above_limit"));
	CHECK(strstr(text, "fix: run it with GOMAXPROCS=1"));
	CHECK(strstr(text, "first remove the GOMAXPROCS=64"));
	CHECK(strstr(text, "min(CPUs, max(2, ceil(limit))) = 2 here"));
	free(json);
	free(text);
	doctor__release(&r);
	profile__free(p);
}

static void throttled_with_fitting_gomaxprocs(void)
{
	struct profile *p = seeds_profile();
	struct cpuwindow w;
	struct cpuwindow_proc proc;
	struct doctor_report r = { .target = "pod x", .seconds = 10 };

	REQUIRE(p);
	window_of(&w, &proc, 1, true);
	r.window = &w;
	r.prof = p;
	REQUIRE(doctor__judge(&r) == 0);
	CHECK_INT_EQ(r.verdict, DOCTOR_CPU_THROTTLED);
	CHECK_INT_EQ(doctor__exit_status(&r), PF_EXIT_FINDING);
	doctor__release(&r);
	/* Under 10% of the periods: healthy. */
	throttle.after.nr_throttled = throttle.before.nr_throttled + 9;
	memset(&r, 0, sizeof(r));
	r.target = "pod x", r.seconds = 10, r.window = &w, r.prof = p;
	REQUIRE(doctor__judge(&r) == 0);
	CHECK_INT_EQ(r.verdict, DOCTOR_OK);
	CHECK_INT_EQ(doctor__exit_status(&r), PF_EXIT_OK);
	throttle.after.nr_throttled = 65;
	doctor__release(&r);
	profile__free(p);
}

static void unreadable_throttling_and_no_go(void)
{
	struct profile *p = seeds_profile();
	struct cpuwindow w;
	struct cpuwindow_proc proc;
	struct doctor_report r = { .target = "pod x", .seconds = 10 };
	char *json;

	REQUIRE(p);
	window_of(&w, &proc, 1, false);
	throttle.ok = false;
	r.window = &w;
	r.prof = p;
	REQUIRE(doctor__judge(&r) == 0);
	CHECK_INT_EQ(r.verdict, DOCTOR_NO_GO_PROCESS);
	CHECK_INT_EQ(doctor__exit_status(&r), PF_EXIT_OK);
	CHECK(!r.throttle_known);
	json = render(&r, true);
	REQUIRE(json);
	CHECK(strstr(json, "\"gomaxprocs\":null,\"gomaxprocs_source\":null"));
	CHECK(strstr(json, "\"periods\":null,\"throttled_periods\":null"));
	free(json);
	throttle.ok = true;
	doctor__release(&r);
	profile__free(p);
}

int main(void)
{
	CHECK_BEGIN("doctor");
	RUN(computes_shares);
	RUN(flags_gomaxprocs_above_limit);
	RUN(throttled_with_fitting_gomaxprocs);
	RUN(unreadable_throttling_and_no_go);
	return CHECK_END();
}
