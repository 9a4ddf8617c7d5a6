#include <errno.h>
#include <zlib.h>

#include "check.h"
#include "folded.h"
#include "gzbuf.h"
#include "pprof.h"
#include "profile_load.h"

static char *folded_text(struct profile *p)
{
	struct folded_write_opts opts = { .with_comm = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	folded_profile__write(p, f, &opts);
	fclose(f);
	return buf;
}

static int load(const void *data, size_t len, struct profile **out, struct profile_load_info *info)
{
	int err;

	*out = profile__new();
	if (!*out)
		return -ENOMEM;
	err = profile__load_mem(data, len, *out, info);
	if (err) {
		profile__free(*out);
		*out = NULL;
	}
	return err;
}

static void *gzip_bytes(const char *s, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f || gzbuf__deflate_to(s, strlen(s), f))
		return NULL;
	fclose(f);
	*len = n;
	return buf;
}

static const char folded[] = "app;main;work 5\n"
			     "app;main;do_syscall_64_[k] 3\n"
			     "app;main;work 2\n"
			     "# a comment\n"
			     "app;[unknown] 1\n";

/* Folded text: merged, kernel frames by suffix, the root frame a frame. */
static void reads_folded(void)
{
	struct profile_load_info info;
	struct profile *p;
	char *text;
	size_t i;
	bool kernel = false;

	REQUIRE(load(folded, strlen(folded), &p, &info) == 0);
	CHECK_INT_EQ(info.source, PROFILE_SOURCE_FOLDED);
	CHECK(!info.gzip);
	CHECK_INT_EQ(info.stacks, 4);
	CHECK_INT_EQ(info.malformed, 0);
	CHECK_INT_EQ(profile__total(p), 11);
	for (i = 0; i < p->nfunctions; i++) {
		if (p->functions[i].kind == FRAME_KERNEL) {
			kernel = true;
			CHECK_STR_EQ(profile__str(p, p->functions[i].name), "do_syscall_64");
		}
		CHECK(p->locations[0].address == 0);
	}
	CHECK(kernel);
	text = folded_text(p);
	CHECK_STR_EQ(text, "app;[unknown] 1\napp;main;do_syscall_64_[k] 3\napp;main;work 7\n");
	free(text);
	profile__free(p);
}

/* The same from gzip, and a pprof from plain and gzip bytes. */
static void sniffs_gzip_and_pprof(void)
{
	struct profile_load_info info;
	struct profile *p, *q;
	struct pb_buf b = { 0 };
	char *want, *got, *buf = NULL;
	void *gz;
	size_t gz_len = 0, len = 0;
	FILE *f;

	gz = gzip_bytes(folded, &gz_len);
	REQUIRE(gz);
	REQUIRE(load(gz, gz_len, &p, &info) == 0);
	CHECK_INT_EQ(info.source, PROFILE_SOURCE_FOLDED);
	CHECK(info.gzip);
	want = folded_text(p);
	REQUIRE(pprof__encode(p, &b) == 0);
	REQUIRE(load(b.data, b.len, &q, &info) == 0);
	CHECK_INT_EQ(info.source, PROFILE_SOURCE_PPROF);
	CHECK(!info.gzip);
	got = folded_text(q);
	CHECK_STR_EQ(got, want);
	free(got);
	profile__free(q);
	f = open_memstream(&buf, &len);
	REQUIRE(f && pprof__write(p, f) == 0);
	fclose(f);
	REQUIRE(load(buf, len, &q, &info) == 0);
	CHECK_INT_EQ(info.source, PROFILE_SOURCE_PPROF);
	CHECK(info.gzip);
	got = folded_text(q);
	CHECK_STR_EQ(got, want);
	free(got);
	free(want);
	free(buf);
	free(gz);
	pb_buf__release(&b);
	profile__free(p);
	profile__free(q);
}

/* Skipped lines are counted with the first one's number and reason. */
static void counts_what_it_skips(void)
{
	static const char text[] = "a;b 3\nno count here\na;c 1.5\na;b 2\n";
	struct profile_load_info info;
	struct profile *p;

	REQUIRE(load(text, strlen(text), &p, &info) == 0);
	CHECK_INT_EQ(info.malformed, 1);
	CHECK_INT_EQ(info.first_bad_line, 2);
	CHECK(info.first_bad_reason != NULL);
	CHECK_INT_EQ(info.fractional, 1);
	CHECK(info.skipped_samples == 1.5);
	CHECK_INT_EQ(profile__total(p), 5);
	profile__free(p);
}

/* A damaged pprof is reported as a pprof, not parsed as garbage text;
 * an empty input is an empty folded profile. */
static void damaged_pprof_is_a_pprof_error(void)
{
	struct profile_load_info info;
	struct profile *p = NULL, *q;
	struct pb_buf b = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	REQUIRE(load(folded, strlen(folded), &q, &info) == 0);
	REQUIRE(pprof__encode(q, &b) == 0);
	CHECK_INT_EQ(load(b.data, b.len / 2, &p, &info), -EBADMSG);
	CHECK_INT_EQ(info.source, PROFILE_SOURCE_PPROF);
	CHECK(info.pprof.error != NULL);
	f = open_memstream(&buf, &len);
	REQUIRE(f && pprof__write(q, f) == 0);
	fclose(f);
	CHECK_INT_EQ(load(buf, len - 9, &p, &info), -EBADMSG);
	CHECK(info.pprof.gzip_error);
	REQUIRE(load("", 0, &p, &info) == 0);
	CHECK_INT_EQ(info.source, PROFILE_SOURCE_FOLDED);
	CHECK_INT_EQ(p->nsamples, 0);
	profile__free(p);
	free(buf);
	pb_buf__release(&b);
	profile__free(q);
}

/* Counts that would overflow a sum are refused, not wrapped: each line's
 * count is capped (2^53) by the parser, so it takes 513 of them. */
static void refuses_overflowing_counts(void)
{
	struct profile_load_info info;
	struct profile *p;
	char *text = malloc(600 * 32), *at = text;
	int i;

	REQUIRE(text);
	for (i = 0; i < 600; i++)
		at += sprintf(at, "f%d 9007199254740992\n", i);
	CHECK_INT_EQ(load(text, strlen(text), &p, &info), -EOVERFLOW);
	CHECK(p == NULL);
	free(text);
}

int main(void)
{
	CHECK_BEGIN("profile_load");
	RUN(reads_folded);
	RUN(sniffs_gzip_and_pprof);
	RUN(counts_what_it_skips);
	RUN(damaged_pprof_is_a_pprof_error);
	RUN(refuses_overflowing_counts);
	return CHECK_END();
}
