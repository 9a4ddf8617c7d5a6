#include "check.h"
#include "diffout.h"
#include "stacks.h"

struct fixture {
	struct profile *base, *head;
	struct diffstat d;
	struct gate gates[2];
	struct gate_result results[2];
};

static int setup(struct fixture *f, const char *const *base, const char *const *head)
{
	struct diff_opts o;
	char err[128];

	memset(f, 0, sizeof(*f));
	diff_opts__init(&o);
	f->base = stacks_profile(base);
	f->head = stacks_profile(head);
	if (!f->base || !f->head || diffstat__build(f->base, f->head, &o, &f->d))
		return -1;
	if (gate__parse("main.a|b>+1pp", &f->gates[0], err, sizeof(err)) ||
	    gate__parse("total>+50%", &f->gates[1], err, sizeof(err)))
		return -1;
	if (gate__eval(&f->gates[0], f->base, f->head, &o, false, &f->results[0]) ||
	    gate__eval(&f->gates[1], f->base, f->head, &o, false, &f->results[1]))
		return -1;
	return 0;
}

static void teardown(struct fixture *f)
{
	gate__release(&f->gates[0]);
	gate__release(&f->gates[1]);
	diffstat__release(&f->d);
	profile__free(f->base);
	profile__free(f->head);
}

static char *render(struct fixture *f, enum diff_format fmt, size_t ngates)
{
	struct diffout_opts o = {
		.base_name = "base|`x`.folded",
		.head_name = "head.folded",
		.top = 10,
		.gates = f->gates,
		.results = f->results,
		.ngates = ngates,
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		return NULL;
	diffout__write(&f->d, fmt, &o, fp);
	fclose(fp);
	return buf;
}

static const char *const base_lines[] = { "main;main.a|b 900", "main;work 100", NULL };
static const char *const head_lines[] = { "main;main.a|b 990", "main;work 10", NULL };

static void markdown_for_a_pr_comment(void)
{
	struct fixture f;
	char *md;

	REQUIRE(setup(&f, base_lines, head_lines) == 0);
	md = render(&f, DIFF_MARKDOWN, 2);
	REQUIRE(md);
	/* '|' escaped even in code spans, a backtick cannot end one early. */
	CHECK(strstr(md,
		     "`base\\|'x'.folded` → `head.folded`: 1000 → 1000 samples (+0.0%, within noise)") !=
	      NULL);
	CHECK(strstr(md, "**❌ 1 of 2 gates tripped**") != NULL);
	CHECK(strstr(md, "| `main.a\\|b>+1pp` | +9.00pp | ±2.59pp | ❌ tripped |") != NULL);
	CHECK(strstr(md, "| `total>+50%` | +0.00% | ±11.52% | ✅ passed |") != NULL);
	CHECK(strstr(md,
		     "| `main.a\\|b` | 90.00% (900) | 99.00% (990) | **+9.00pp** | ±2.59pp |") !=
	      NULL);
	CHECK(strstr(md, "<details><summary>Top changes by self share</summary>") != NULL);
	free(md);
	teardown(&f);
}

static void text_marks_noise_and_lists_gates(void)
{
	static const char *const noisy[] = { "main;main.a|b 902", "main;work 98", NULL };
	struct fixture f;
	char *text;

	REQUIRE(setup(&f, base_lines, noisy) == 0);
	text = render(&f, DIFF_TEXT, 2);
	REQUIRE(text);
	CHECK(strstr(text,
		     "~   90.00%   90.20%   +0.20pp   ±3.45pp       900       902  main.a|b\n") !=
	      NULL);
	CHECK(strstr(text, "gates (2, 0 tripped):\n  ok       main.a|b>+1pp") != NULL);
	CHECK(strstr(text, "  ok       total>+50%") != NULL);
	free(text);
	teardown(&f);
	REQUIRE(setup(&f, base_lines, base_lines) == 0);
	text = render(&f, DIFF_TEXT, 0);
	REQUIRE(text);
	CHECK(strstr(text, "(none)") != NULL);
	CHECK(strstr(text, "gates") == NULL);
	free(text);
	teardown(&f);
}

static void json_has_every_number(void)
{
	struct fixture f;
	char *json;

	REQUIRE(setup(&f, base_lines, head_lines) == 0);
	json = render(&f, DIFF_JSON, 2);
	REQUIRE(json);
	CHECK(strstr(json, "\"base\": {\"source\": \"base|`x`.folded\", \"samples\": 1000}") !=
	      NULL);
	CHECK(strstr(json,
		     "{\"name\": \"work\", \"base\": {\"self\": 100, \"inclusive\": 100}, "
		     "\"head\": {\"self\": 10, \"inclusive\": 10}, \"inclusive\": {\"delta_pp\": -9,") !=
	      NULL);
	CHECK(strstr(json, "\"tripped\": 1\n}\n") != NULL);
	CHECK(strstr(json, "\"unit\": \"%\", \"threshold\": 50") != NULL);
	/* Unchanged functions (main: 100% -> 100%) are left out. */
	CHECK(strstr(json, "\"name\": \"main\"") == NULL);
	free(json);
	teardown(&f);
}

int main(void)
{
	CHECK_BEGIN("diffout");
	RUN(markdown_for_a_pr_comment);
	RUN(text_marks_noise_and_lists_gates);
	RUN(json_has_every_number);
	return CHECK_END();
}
