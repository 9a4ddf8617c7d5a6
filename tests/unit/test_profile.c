#include <errno.h>

#include "check.h"
#include "folded.h"
#include "profile.h"

/* Adds a stack given root first as "a;b;c", each frame its own location;
 * a "k:" prefix makes a kernel frame. */
static void add_stack(struct profile *p, const char *stack, int64_t count, const char *comm,
		      uint64_t base_addr)
{
	uint32_t locs[32];
	char buf[256], *save = NULL, *tok;
	size_t n = 0, i;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		struct profile_line line = { 0 };
		enum frame_kind kind = FRAME_NATIVE;

		if (!strncmp(tok, "k:", 2)) {
			kind = FRAME_KERNEL;
			tok += 2;
		}
		REQUIRE(profile__add_function(p, tok, "f.c", kind, &line.function) == 0);
		REQUIRE(profile__add_location(p, base_addr ? base_addr + n : 0, PROFILE_NO_MAPPING,
					      &line, 1, &locs[n]) == 0);
		n++;
	}
	/* leaf first */
	for (i = 0; i < n / 2; i++) {
		uint32_t t = locs[i];

		locs[i] = locs[n - 1 - i];
		locs[n - 1 - i] = t;
	}
	REQUIRE(profile__add_sample(p, locs, n, count, comm, 7) == 0);
}

static char *write_folded(struct profile *p, bool with_comm)
{
	struct folded_write_opts opts = { .with_comm = with_comm };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f || folded_profile__write(p, f, &opts))
		return NULL;
	fclose(f);
	return buf;
}

static void merges_and_sorts(void)
{
	struct profile *p = profile__new();
	char *text;

	REQUIRE(p);
	add_stack(p, "main;b;c", 3, "app", 0);
	add_stack(p, "main;a", 2, "app", 0);
	add_stack(p, "main;b;c", 4, "app", 0); /* same stack: merged on insert */
	add_stack(p, "main;b;k:do_syscall_64", 1, "app", 0);
	CHECK_INT_EQ(p->nsamples, 3);
	CHECK_INT_EQ(profile__total(p), 10);
	text = write_folded(p, true);
	CHECK_STR_EQ(text, "app;main;a 2\napp;main;b;c 7\napp;main;b;do_syscall_64_[k] 1\n");
	free(text);
	text = write_folded(p, false);
	CHECK_STR_EQ(text, "main;a 2\nmain;b;c 7\nmain;b;do_syscall_64_[k] 1\n");
	free(text);
	profile__free(p);
}

static void same_names_different_addresses_one_line(void)
{
	struct profile *p = profile__new();
	char *text;

	REQUIRE(p);
	add_stack(p, "main;work", 5, "app", 0x1000);
	add_stack(p, "main;work", 6, "app", 0x2000);
	CHECK_INT_EQ(p->nsamples, 2); /* distinct locations */
	text = write_folded(p, true);
	CHECK_STR_EQ(text, "app;main;work 11\n");
	free(text);
	profile__free(p);
}

static void inline_frames_expand_in_call_order(void)
{
	struct profile *p = profile__new();
	struct profile_line lines[2];
	uint32_t loc[2], f;
	char *text;

	REQUIRE(p);
	/* One location holding leaf (inlined) then its caller: innermost first. */
	REQUIRE(profile__add_function(p, "pkg.inlinedLeaf", "x.go", FRAME_GO, &f) == 0);
	lines[0] = (struct profile_line){ f, 10 };
	REQUIRE(profile__add_function(p, "pkg.caller", "x.go", FRAME_GO, &f) == 0);
	lines[1] = (struct profile_line){ f, 20 };
	REQUIRE(profile__add_location(p, 0x4000, PROFILE_NO_MAPPING, lines, 2, &loc[0]) == 0);
	REQUIRE(profile__add_function(p, "main.main", "m.go", FRAME_GO, &f) == 0);
	lines[0] = (struct profile_line){ f, 5 };
	REQUIRE(profile__add_location(p, 0x5000, PROFILE_NO_MAPPING, lines, 1, &loc[1]) == 0);
	REQUIRE(profile__add_sample(p, loc, 2, 9, "app", 1) == 0);
	text = write_folded(p, true);
	CHECK_STR_EQ(text, "app;main.main;pkg.caller;pkg.inlinedLeaf 9\n");
	free(text);
	profile__free(p);
}

static void hostile_names_cannot_break_lines(void)
{
	struct profile *p = profile__new();
	char *text;

	REQUIRE(p);
	add_stack(p, "main", 1, "a\nb", 0);
	text = write_folded(p, true);
	CHECK_STR_EQ(text, "a b;main 1\n");
	free(text);
	profile__free(p);
}

static void dedups_functions_and_mappings(void)
{
	struct profile *p = profile__new();
	struct profile_mapping m = { .start = 0x1000, .limit = 0x2000 };
	uint32_t a, b, c, m1, m2;

	REQUIRE(p);
	CHECK_INT_EQ(profile__add_function(p, "f", "x.c", FRAME_NATIVE, &a), 0);
	CHECK_INT_EQ(profile__add_function(p, "f", "x.c", FRAME_NATIVE, &b), 0);
	CHECK_INT_EQ(profile__add_function(p, "f", "x.c", FRAME_KERNEL, &c), 0);
	CHECK_INT_EQ(a, b);
	CHECK(a != c);
	CHECK_STR_EQ(profile__str(p, p->functions[c].folded_name), "f_[k]");
	CHECK_INT_EQ(profile__add_mapping(p, &m, &m1), 0);
	CHECK_INT_EQ(profile__add_mapping(p, &m, &m2), 0);
	CHECK_INT_EQ(m1, m2);
	profile__free(p);
}

static void many_samples_stay_consistent(void)
{
	struct profile *p = profile__new();
	char stack[64];
	int i;

	REQUIRE(p);
	for (i = 0; i < 20000; i++) {
		snprintf(stack, sizeof(stack), "main;f%d;g%d", i % 5000, i % 7);
		add_stack(p, stack, 1, "app", 0);
	}
	CHECK_INT_EQ(profile__total(p), 20000);
	CHECK_INT_EQ(p->nsamples, 5000 * 7 < 20000 ? 5000 * 7 : 20000);
	CHECK_INT_EQ(profile__sort_samples(p, true), 0);
	/* After sorting, adding an existing stack still merges. */
	add_stack(p, "main;f0;g0", 5, "app", 0);
	CHECK_INT_EQ(profile__total(p), 20005);
	CHECK_INT_EQ(p->nsamples, 20000);
	profile__free(p);
}

int main(void)
{
	CHECK_BEGIN("profile");
	RUN(merges_and_sorts);
	RUN(same_names_different_addresses_one_line);
	RUN(inline_frames_expand_in_call_order);
	RUN(hostile_names_cannot_break_lines);
	RUN(dedups_functions_and_mappings);
	RUN(many_samples_stay_consistent);
	return CHECK_END();
}
