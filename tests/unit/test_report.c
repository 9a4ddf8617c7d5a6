#include "check.h"
#include "flamegraph/runtime_share.h"
#include "report.h"
#include "stacks.h"

static char *capture(const struct profile *p, bool json, size_t top)
{
	struct report_opts o = { .source = "x.folded", .format = "folded", .top = top };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (json ? report__write_json(p, &o, f) : report__write_text(p, &o, f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

/* The shares are the renderer's: inclusive, one count per stack, members
 * of every Go version, assists not counted as the background worker. */
static void runtime_shares_as_the_banner(void)
{
	static const char *const lines[] = {
		"app;runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable 30",
		"app;runtime.mcall;runtime.schedule;runtime.findrunnable;runtime.schedule 10",
		"app;runtime.gcBgMarkWorker;runtime.gcDrain;runtime.scanobject 20",
		"app;main.alloc;runtime.mallocgc;runtime.gcAssistAlloc;runtime.gcDrainN;runtime.scanobject 15",
		"app;main.work;futex_[k] 25",
		NULL,
	};
	struct profile *p = stacks_profile(lines);
	struct rt_share s;

	REQUIRE(p);
	REQUIRE(report__runtime_shares(p, &s) == 0);
	CHECK(s.total == 100);
	CHECK(s.sum[RT_SCHEDULE] == 40);
	CHECK(s.sum[RT_GC_WORKER] == 20);
	CHECK(s.sum[RT_GC_ASSIST] == 15);
	profile__free(p);
}

static void text_and_json_say_the_same(void)
{
	static const char *const lines[] = { "app;main;f;g 6", "app;main;f 3", "app;main;h 1",
					     NULL };
	struct profile *p = stacks_profile(lines);
	char *text, *json;

	REQUIRE(p);
	text = capture(p, false, 0);
	json = capture(p, true, 0);
	REQUIRE(text && json);
	CHECK(strstr(text, "podflame report: x.folded (folded)\nsamples: 10\n") != NULL);
	CHECK(strstr(text, "runtime.schedule") != NULL);
	/* self table: leaves only, by self; inclusive table: every function. */
	CHECK(strstr(text,
		     "top functions by self:\n      self   self%  inclusive   incl%  function\n"
		     "         6  60.00%          6  60.00%  g\n"
		     "         3  30.00%          9  90.00%  f\n"
		     "         1  10.00%          1  10.00%  h\n\n") != NULL);
	CHECK(strstr(text, "         0   0.00%         10 100.00%  app\n") != NULL);
	CHECK(strstr(json, "\"samples\": 10,") != NULL);
	CHECK(strstr(json, "{\"name\": \"g\", \"self\": 6, \"inclusive\": 6, \"self_share\": 0.6, "
			   "\"inclusive_share\": 0.6}") != NULL);
	CHECK(strstr(json, "{\"family\": \"runtime.schedule\", \"samples\": 0, \"share\": 0}") !=
	      NULL);
	free(text);
	free(json);
	json = capture(p, true, 1);
	REQUIRE(json);
	CHECK(strstr(json, "\"name\": \"g\"") && !strstr(json, "\"name\": \"f\""));
	free(json);
	profile__free(p);
}

/* Names from binaries are untrusted: JSON stays valid. */
static void json_escapes_names(void)
{
	static const char *const lines[] = { "app;we\"ird\\name\x01;bad\xff utf8 1", NULL };
	struct profile *p = stacks_profile(lines);
	char *json;

	REQUIRE(p);
	json = capture(p, true, 0);
	REQUIRE(json);
	CHECK(strstr(json, "\"we\\\"ird\\\\name\\u0001\"") != NULL);
	CHECK(strstr(json, "\"bad\\ufffd utf8\"") != NULL);
	free(json);
	profile__free(p);
}

int main(void)
{
	CHECK_BEGIN("report");
	RUN(runtime_shares_as_the_banner);
	RUN(text_and_json_say_the_same);
	RUN(json_escapes_names);
	return CHECK_END();
}
