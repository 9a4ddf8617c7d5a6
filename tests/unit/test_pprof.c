#include <errno.h>

#include "check.h"
#include "folded.h"
#include "gzbuf.h"
#include "pprof.h"
#include "profile.h"

/* A frame spec: "name" (native), "k:name" (kernel), "go:outer+inner"
 * (one Go location with inner inlined into outer). */
static uint32_t add_loc(struct profile *p, const char *spec, uint64_t addr, uint32_t mapping)
{
	struct profile_line lines[4];
	char buf[128], *plus;
	enum frame_kind kind = FRAME_NATIVE;
	const char *file = "lib.c";
	size_t n = 0;
	uint32_t id = UINT32_MAX;

	snprintf(buf, sizeof(buf), "%s", spec);
	spec = buf;
	if (!strncmp(spec, "k:", 2)) {
		kind = FRAME_KERNEL, file = "", spec += 2;
	} else if (!strncmp(spec, "go:", 3)) {
		kind = FRAME_GO, file = "/src/main.go", spec += 3;
	}
	plus = strchr(spec, '+');
	if (plus) {
		/* Innermost first: the inlined callee, then its caller. */
		*plus = 0;
		lines[n].line = 42;
		if (profile__add_function(p, plus + 1, file, kind, &lines[n++].function))
			return UINT32_MAX;
	}
	lines[n].line = kind == FRAME_KERNEL ? 0 : 7;
	if (profile__add_function(p, spec, file, kind, &lines[n++].function))
		return UINT32_MAX;
	if (profile__add_location(p, addr, mapping, lines, n, &id))
		return UINT32_MAX;
	return id;
}

/* stack is root first, ';' separated. */
static int add_stack(struct profile *p, const char *stack, int64_t count, const char *comm,
		     uint32_t pid, uint64_t base, uint32_t mapping)
{
	uint32_t locs[32], t;
	char buf[256], *save = NULL, *tok;
	size_t n = 0, i;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (tok = strtok_r(buf, ";", &save); tok && n < 32; tok = strtok_r(NULL, ";", &save)) {
		uint64_t addr = base ? base + strlen(tok) * 16 + (uint8_t)tok[0] : 0;

		locs[n] = add_loc(p, tok, addr,
				  !strncmp(tok, "k:", 2) ? PROFILE_NO_MAPPING : mapping);
		if (locs[n++] == UINT32_MAX)
			return -1;
	}
	for (i = 0; i < n / 2; i++)
		t = locs[i], locs[i] = locs[n - 1 - i], locs[n - 1 - i] = t;
	return profile__add_sample(p, locs, n, count, comm, pid);
}

static char *folded_text(struct profile *p, bool with_comm)
{
	struct folded_write_opts opts = { .with_comm = with_comm };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (folded_profile__write(p, f, &opts)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

static struct profile *recorded_profile(bool reversed)
{
	static const char *const stacks[] = {
		"go:main.main;go:main.work+main.inlined;go:runtime.memmove",
		"go:main.main;go:main.work+main.inlined",
		"go:runtime.mcall;go:runtime.park_m;go:runtime.schedule;k:entry_SYSCALL_64;k:do_syscall_64",
		"libc_start;main;k:asm_exc_page_fault",
	};
	struct profile *p = profile__new();
	struct profile_mapping m = { .start = 0x400000, .limit = 0x800000, .offset = 0x1000 };
	uint32_t mapping;
	size_t i, k;

	if (!p)
		return NULL;
	profile__intern_string(p, "/usr/bin/app", &m.file);
	profile__intern_string(p, "deadbeef01", &m.build_id);
	profile__add_mapping(p, &m, &mapping);
	p->meta.frequency_hz = 99;
	p->meta.period_ns = 1000000000 / 99;
	p->meta.time_ns = 1700000000000000000ll;
	p->meta.duration_ns = 5000000000ll;
	for (k = 0; k < 4; k++) {
		i = reversed ? 3 - k : k;
		if (add_stack(p, stacks[i], (int64_t)(i + 1) * 10, i == 3 ? "cprog" : "goapp",
			      i == 3 ? 77 : 42, 0x401000, mapping)) {
			profile__free(p);
			return NULL;
		}
	}
	return p;
}

static struct profile *decode(const struct pb_buf *b, struct pprof_read_info *info)
{
	struct profile *q = profile__new();

	if (q && pprof__read(b->data, b->len, 0, q, info)) {
		profile__free(q);
		return NULL;
	}
	return q;
}

/* profile -> pprof -> profile keeps stacks, counts, process, kernel frames,
 * addresses, mappings, inlined lines and the period. */
static void round_trip_keeps_everything(void)
{
	struct profile *p = recorded_profile(false), *q = NULL;
	struct pprof_read_info info;
	struct pb_buf b = { 0 };
	char *want = NULL, *got = NULL;
	size_t i;
	bool inlined = false;

	REQUIRE(p);
	REQUIRE(pprof__encode(p, &b) == 0);
	q = decode(&b, &info);
	REQUIRE(q);
	CHECK_STR_EQ(info.sample_type, "samples/count");
	CHECK_INT_EQ(info.samples_read, 4);
	CHECK_INT_EQ(info.samples_skipped, 0);
	CHECK_INT_EQ(info.unsymbolized_locations, 0);
	CHECK_INT_EQ(info.kernel_locations, 3);
	want = folded_text(p, true);
	got = folded_text(q, true);
	CHECK_STR_EQ(got, want);
	CHECK(strstr(got, "goapp;runtime.mcall;runtime.park_m;runtime.schedule;"
			  "entry_SYSCALL_64_[k];do_syscall_64_[k] 30\n") != NULL);
	CHECK(strstr(got, "goapp;main.main;main.work;main.inlined 20\n") != NULL);
	CHECK_INT_EQ(profile__total(q), 100);
	CHECK_INT_EQ(q->meta.period_ns, 1000000000 / 99);
	CHECK_INT_EQ(q->meta.frequency_hz, 99);
	CHECK_INT_EQ(q->meta.time_ns, 1700000000000000000ll);
	CHECK_INT_EQ(q->meta.duration_ns, 5000000000ll);
	CHECK_INT_EQ(q->nmappings, 1);
	CHECK_STR_EQ(profile__str(q, q->mappings[0].file), "/usr/bin/app");
	CHECK_STR_EQ(profile__str(q, q->mappings[0].build_id), "deadbeef01");
	CHECK(q->mappings[0].start == 0x400000 && q->mappings[0].limit == 0x800000 &&
	      q->mappings[0].offset == 0x1000);
	for (i = 0; i < q->nlocations; i++) {
		const struct profile_location *loc = &q->locations[i];
		const struct profile_function *f =
			&q->functions[q->lines[loc->first_line].function];

		CHECK(loc->address != 0);
		CHECK(f->kind == FRAME_KERNEL ? loc->mapping == PROFILE_NO_MAPPING
					      : loc->mapping == 0);
		if (loc->nlines == 2) {
			inlined = true;
			CHECK_STR_EQ(profile__str(q, f->name), "main.inlined");
			CHECK_INT_EQ(q->lines[loc->first_line].line, 42);
			CHECK_STR_EQ(profile__str(q, f->file), "/src/main.go");
			CHECK_INT_EQ(f->kind, FRAME_GO);
		}
	}
	CHECK(inlined);
	free(want);
	free(got);
	pb_buf__release(&b);
	profile__free(p);
	profile__free(q);
}

/* The same profile built in another order gives the same bytes. */
static void deterministic_bytes(void)
{
	struct profile *a = recorded_profile(false), *b = recorded_profile(true);
	struct pb_buf x = { 0 }, y = { 0 };

	REQUIRE(a && b);
	REQUIRE(pprof__encode(a, &x) == 0);
	REQUIRE(pprof__encode(b, &y) == 0);
	CHECK_INT_EQ(x.len, y.len);
	CHECK(x.len == y.len && !memcmp(x.data, y.data, x.len));
	pb_buf__release(&x);
	pb_buf__release(&y);
	profile__free(a);
	profile__free(b);
}

/* Through gzip and a FILE, as output__write does. */
static void gzip_file_round_trip(void)
{
	struct profile *p = recorded_profile(false), *q = profile__new();
	char *buf = NULL, *want, *got;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	REQUIRE(p && q && f);
	REQUIRE(pprof__write(p, f) == 0);
	fclose(f);
	CHECK(gzbuf__is_gzip(buf, len));
	REQUIRE(pprof__read(buf, len, 0, q, NULL) == 0);
	want = folded_text(p, true);
	got = folded_text(q, true);
	CHECK_STR_EQ(got, want);
	free(want);
	free(got);
	/* A cap on the inflated size is honoured. */
	profile__free(q);
	q = profile__new();
	CHECK_INT_EQ(pprof__read(buf, len, 64, q, NULL), -EFBIG);
	/* Truncated gzip is corrupt, not a crash or a partial profile. */
	CHECK_INT_EQ(pprof__read(buf, len / 2, 0, q, NULL), -EBADMSG);
	free(buf);
	profile__free(p);
	profile__free(q);
}

/* Folded-style profiles (no addresses, no mappings, no period) still make a
 * valid pprof: only samples/count. */
static void without_addresses_or_period(void)
{
	struct profile *p = profile__new(), *q;
	struct pprof_read_info info;
	struct pb_buf b = { 0 };
	char *want, *got;

	REQUIRE(p);
	REQUIRE(add_stack(p, "app;main;k:do_syscall_64", 3, NULL, 0, 0, PROFILE_NO_MAPPING) == 0);
	REQUIRE(add_stack(p, "app;main;work", 5, NULL, 0, 0, PROFILE_NO_MAPPING) == 0);
	REQUIRE(pprof__encode(p, &b) == 0);
	q = decode(&b, &info);
	REQUIRE(q);
	want = folded_text(p, false);
	got = folded_text(q, false);
	CHECK_STR_EQ(got, want);
	CHECK_STR_EQ(got, "app;main;do_syscall_64_[k] 3\napp;main;work 5\n");
	CHECK_INT_EQ(q->meta.period_ns, 0);
	CHECK_INT_EQ(q->nmappings, 0);
	free(want);
	free(got);
	pb_buf__release(&b);
	profile__free(p);
	profile__free(q);
}

/* Hand-made pprof pieces for the reader's checks. */
static void put_string_table(struct pb_buf *b, const char *const *strs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		pb_buf__string_field(b, 6, strs[i]);
}

static void put_sample_type(struct pb_buf *b, uint64_t type, uint64_t unit)
{
	size_t m = pb_buf__begin(b, 1);

	pb_buf__uint64_field(b, 1, type);
	pb_buf__uint64_field(b, 2, unit);
	pb_buf__end(b, m);
}

/* A Go-style CPU profile: unpacked values, a location without lines, the
 * counts only as cpu/nanoseconds, a sample with a zero count. */
static void reads_foreign_shapes(void)
{
	static const char *const strs[] = { "", "cpu", "nanoseconds", "main.f", "/bin/x", "f.go" };
	struct pprof_read_info info;
	struct profile *q = profile__new();
	struct pb_buf b = { 0 };
	size_t m, l;
	char *text;

	REQUIRE(q);
	put_sample_type(&b, 1, 2);
	m = pb_buf__begin(&b, 2); /* 3 samples at 10ms, leaf loc 2 then 1 */
	pb_buf__uint64_field(&b, 1, 2);
	pb_buf__uint64_field(&b, 1, 1);
	pb_buf__uint64_field(&b, 2, 30000000);
	pb_buf__end(&b, m);
	m = pb_buf__begin(&b, 2); /* no locations: a marker frame */
	pb_buf__uint64_field(&b, 2, 10000000);
	pb_buf__end(&b, m);
	m = pb_buf__begin(&b, 2); /* zero: skipped */
	pb_buf__uint64_field(&b, 1, 1);
	pb_buf__uint64_field(&b, 2, 0);
	pb_buf__end(&b, m);
	m = pb_buf__begin(&b, 3);
	pb_buf__uint64_field(&b, 1, 9);
	pb_buf__uint64_field(&b, 2, 0x1000);
	pb_buf__uint64_field(&b, 3, 0x2000);
	pb_buf__uint64_field(&b, 5, 4);
	pb_buf__end(&b, m);
	m = pb_buf__begin(&b, 4); /* location 1: main.f */
	pb_buf__uint64_field(&b, 1, 1);
	pb_buf__uint64_field(&b, 2, 9);
	pb_buf__uint64_field(&b, 3, 0x1100);
	l = pb_buf__begin(&b, 4);
	pb_buf__uint64_field(&b, 1, 5);
	pb_buf__end(&b, l);
	pb_buf__end(&b, m);
	m = pb_buf__begin(&b, 4); /* location 2: no lines */
	pb_buf__uint64_field(&b, 1, 2);
	pb_buf__uint64_field(&b, 2, 9);
	pb_buf__uint64_field(&b, 3, 0x1234);
	pb_buf__end(&b, m);
	m = pb_buf__begin(&b, 5);
	pb_buf__uint64_field(&b, 1, 5);
	pb_buf__uint64_field(&b, 2, 3);
	pb_buf__uint64_field(&b, 4, 5);
	pb_buf__end(&b, m);
	put_string_table(&b, strs, 6);
	m = pb_buf__begin(&b, 11);
	pb_buf__uint64_field(&b, 1, 1);
	pb_buf__uint64_field(&b, 2, 2);
	pb_buf__end(&b, m);
	pb_buf__uint64_field(&b, 12, 10000000);
	REQUIRE(!b.err);
	CHECK(pprof__looks_like(b.data, b.len));
	REQUIRE(pprof__read(b.data, b.len, 0, q, &info) == 0);
	CHECK_STR_EQ(info.sample_type, "cpu/nanoseconds");
	CHECK_INT_EQ(info.samples_read, 3);
	CHECK_INT_EQ(info.samples_skipped, 1);
	CHECK_INT_EQ(info.empty_stacks, 1);
	CHECK_INT_EQ(info.unsymbolized_locations, 1);
	CHECK_INT_EQ(q->meta.frequency_hz, 100);
	text = folded_text(q, false);
	CHECK_STR_EQ(text, "[no stack] 1\nmain.f;x+0x234 3\n");
	free(text);
	pb_buf__release(&b);
	profile__free(q);
}

/* Builds a minimal profile with one broken piece chosen by `how`. */
static int read_broken(int how, const char **what)
{
	static const char *const good[] = { "", "samples", "count", "f" };
	static const char *const bad_first[] = { "x", "samples", "count", "f" };
	struct pprof_read_info info;
	struct profile *q = profile__new();
	struct pb_buf b = { 0 };
	size_t m, l;
	int err;

	put_sample_type(&b, 1, how == 1 ? 99 : 2); /* 1: string index out of range */
	m = pb_buf__begin(&b, 2);
	pb_buf__uint64_field(&b, 1, how == 2 ? 7 : 1); /* 2: no such location */
	pb_buf__uint64_field(&b, 2, 5);
	if (how == 3)
		pb_buf__uint64_field(&b, 2, 6); /* 3: two values, one type */
	pb_buf__end(&b, m);
	m = pb_buf__begin(&b, 4);
	pb_buf__uint64_field(&b, 1, 1);
	l = pb_buf__begin(&b, 4);
	pb_buf__uint64_field(&b, 1, how == 4 ? 8 : 1); /* 4: no such function */
	pb_buf__end(&b, l);
	pb_buf__end(&b, m);
	if (how == 5) { /* 5: duplicate location id */
		m = pb_buf__begin(&b, 4);
		pb_buf__uint64_field(&b, 1, 1);
		pb_buf__end(&b, m);
	}
	m = pb_buf__begin(&b, 5);
	pb_buf__uint64_field(&b, 1, 1);
	pb_buf__uint64_field(&b, 2, 3);
	pb_buf__end(&b, m);
	put_string_table(&b, how == 6 ? bad_first : good, 4); /* 6: table[0] != "" */
	if (how == 7)
		pb_buf__string_field(&b, 12, "period is a varint"); /* 7: wire type */
	err = pprof__read(b.data, b.len, 0, q, &info);
	*what = info.error;
	pb_buf__release(&b);
	profile__free(q);
	return err;
}

static void rejects_broken_references(void)
{
	const char *what = NULL;
	int how;

	CHECK_INT_EQ(read_broken(0, &what), 0);
	for (how = 1; how <= 7; how++) {
		what = NULL;
		CHECK_INT_EQ(read_broken(how, &what), -EBADMSG);
		CHECK(what != NULL);
		if (what)
			fprintf(stderr, "  case %d: %s\n", how, what);
	}
}

/* Every truncation of a valid pprof is an error or a smaller profile,
 * never a crash (ASan runs of this test make it a memory-safety check). */
static void every_truncation_is_safe(void)
{
	struct profile *p = recorded_profile(false);
	struct pb_buf b = { 0 };
	size_t cut;
	int ok = 0;

	REQUIRE(p);
	REQUIRE(pprof__encode(p, &b) == 0);
	for (cut = 0; cut < b.len; cut++) {
		struct profile *q = profile__new();
		int err = pprof__read(b.data, cut, 0, q, NULL);

		CHECK(err == 0 || err == -EBADMSG);
		ok += err == 0;
		profile__free(q);
	}
	CHECK(ok < (int)b.len);
	pb_buf__release(&b);
	profile__free(p);
}

int main(void)
{
	CHECK_BEGIN("pprof");
	RUN(round_trip_keeps_everything);
	RUN(deterministic_bytes);
	RUN(gzip_file_round_trip);
	RUN(without_addresses_or_period);
	RUN(reads_foreign_shapes);
	RUN(rejects_broken_references);
	RUN(every_truncation_is_safe);
	return CHECK_END();
}
