/* The pclntab reader against tables whose every byte the test wrote (in
 * each of the four layouts, both byte orders), against damaged copies of
 * them, and against a real Go binary when one is installed. The comparison
 * with Go's own debug/gosym over real binaries is in
 * tests/integration/gosym_*.sh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pclntab_builder.h"
#include "sym/elfimage.h"
#include "sym/gobinary.h"
#include "sym/gopclntab.h"

#define LAST_SIZE 1000

static struct tb_func funcs[3];

static void init_funcs(void)
{
	tb_sample_funcs(funcs, LAST_SIZE);
}

static int last_line(uint32_t off)
{
	return 100 + (int)(off % 7) * 3 - (int)(off % 5);
}

struct variant {
	const char *name;
	enum gopclntab_format format;
	bool big_endian;
	unsigned go_minor;
};

static const struct variant variants[] = {
	{ "go1.2 (1.13-1.15 slots)", GOPCLNTAB_GO12, false, 14 },
	{ "go1.2 (1.12 slots)", GOPCLNTAB_GO12, false, 12 },
	{ "go1.16", GOPCLNTAB_GO116, false, 0 },
	{ "go1.18", GOPCLNTAB_GO118, false, 0 },
	{ "go1.20", GOPCLNTAB_GO120, false, 0 },
	{ "go1.18 big-endian", GOPCLNTAB_GO118, true, 0 },
	{ "go1.16 big-endian", GOPCLNTAB_GO116, true, 0 },
};

static void build_variant(const struct variant *v, struct tb_table *out)
{
	struct tb_spec spec = {
		.format = v->format,
		.big_endian = v->big_endian,
		.go_minor = v->go_minor,
		.files = { "/src/a.go", "/src/b.go", "/src/c.go" },
		.nfiles = 3,
		.funcs = funcs,
		.nfuncs = 3,
	};

	tb_build(&spec, out);
}

static struct gopclntab *open_built(const struct variant *v, const struct tb_table *tb,
				    const uint8_t *data, size_t size, bool no_index)
{
	struct gopclntab_opts opts = {
		.gofunc = tb->gofunc,
		.vaddr = TB_TAB_VADDR,
		.go_minor = v->go_minor,
		.view = tb_view,
		.view_ctx = (void *)tb,
		.no_index = no_index,
	};

	return gopclntab__open(data, size, &opts);
}

#define CHECK_FRAME(fr, fn, fl, ln)                \
	do {                                       \
		CHECK_STR_EQ((fr).function, fn);   \
		CHECK_STR_EQ((fr).file, fl);       \
		CHECK_INT_EQ((fr).line, ln);       \
		CHECK_INT_EQ((fr).kind, FRAME_GO); \
	} while (0)

static void check_variant(const struct variant *v)
{
	struct sym_frame fr[8];
	struct tb_table tb;
	struct gopclntab *t;
	uint64_t entry, end, lo, hi;
	const char *name;
	int32_t sp;
	uint32_t off;
	int n;

	build_variant(v, &tb);
	t = open_built(v, &tb, tb.tab, tb.size, false);
	if (!t)
		fprintf(stderr, "  %s: open: %s\n", v->name, strerror(errno));
	REQUIRE(t);
	CHECK_INT_EQ(gopclntab__format(t), v->format);
	CHECK_INT_EQ(gopclntab__nfuncs(t), 3);
	CHECK(gopclntab__has_inline(t));
	gopclntab__pc_range(t, &lo, &hi);
	CHECK_INT_EQ(lo, TB_TEXT);
	CHECK_INT_EQ(hi, TB_TEXT + 0xc0 + LAST_SIZE);

	n = gopclntab__resolve(t, TB_TEXT + 0x15, fr, 8);
	CHECK_INT_EQ(n, 1);
	CHECK_FRAME(fr[0], "main.first", "/src/a.go", 11);
	CHECK_INT_EQ(gopclntab__sp_delta(t, TB_TEXT, &sp), 0);
	CHECK_INT_EQ(sp, 0);
	CHECK_INT_EQ(gopclntab__sp_delta(t, TB_TEXT + 0x10, &sp), 0);
	CHECK_INT_EQ(sp, 16);

	/* two levels of inlining, innermost first, each at its call site */
	n = gopclntab__resolve(t, TB_TEXT + 0x40 + 0x50, fr, 8);
	CHECK_INT_EQ(n, 3);
	if (n == 3) {
		CHECK_FRAME(fr[0], "main.leaf[...]", "/src/c.go", 40);
		CHECK_FRAME(fr[1], "main.mid", "/src/b.go", 30);
		CHECK_FRAME(fr[2], "main.outer", "/src/a.go", 20);
	}
	n = gopclntab__resolve(t, TB_TEXT + 0x40 + 0x25, fr, 8);
	CHECK_INT_EQ(n, 2);
	if (n == 2) {
		CHECK_FRAME(fr[0], "main.mid", "/src/b.go", 30);
		CHECK_FRAME(fr[1], "main.outer", "/src/a.go", 20);
	}
	/* a short buffer keeps the physical function last */
	n = gopclntab__resolve(t, TB_TEXT + 0x40 + 0x50, fr, 2);
	CHECK_INT_EQ(n, 2);
	if (n == 2) {
		CHECK_STR_EQ(fr[0].function, "main.leaf[...]");
		CHECK_STR_EQ(fr[1].function, "main.outer");
	}
	n = gopclntab__resolve(t, TB_TEXT + 0x40 + 0x50, fr, 1);
	CHECK_INT_EQ(n, 1);
	CHECK_STR_EQ(fr[0].function, "main.outer");
	CHECK_INT_EQ(gopclntab__resolve(t, TB_TEXT, fr, 0), -EINVAL);

	for (off = 0; off < LAST_SIZE; off++) {
		n = gopclntab__resolve(t, TB_TEXT + 0xc0 + off, fr, 8);
		if (n != 1 || fr[0].line != (uint32_t)last_line(off)) {
			CHECK_INT_EQ(n, 1);
			CHECK_INT_EQ(fr[0].line, last_line(off));
			break;
		}
	}
	CHECK_STR_EQ(fr[0].file, "/src/b.go");

	CHECK_INT_EQ(gopclntab__resolve(t, TB_TEXT - 1, fr, 8), -ENOENT);
	CHECK_INT_EQ(gopclntab__resolve(t, hi, fr, 8), -ENOENT);
	CHECK_INT_EQ(gopclntab__sp_delta(t, hi, &sp), -ENOENT);
	CHECK_INT_EQ(gopclntab__func_bounds(t, TB_TEXT + 0x7f, &entry, &end, &name), 0);
	CHECK_INT_EQ(entry, TB_TEXT + 0x40);
	CHECK_INT_EQ(end, TB_TEXT + 0xc0);
	CHECK_STR_EQ(name, "main.outer");
	CHECK_INT_EQ(gopclntab__func(t, 2, &entry, &end, &name), 0);
	CHECK_STR_EQ(name, "main.last");
	CHECK_INT_EQ(gopclntab__func(t, 3, &entry, &end, &name), -ERANGE);
	gopclntab__free(t);
	tb_free(&tb);
}

static void test_layouts(void)
{
	size_t i;

	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		int before = check_state_.failed_checks;

		check_variant(&variants[i]);
		if (check_state_.failed_checks != before)
			fprintf(stderr, "  (in layout %s)\n", variants[i].name);
	}
}

/* Without a way to read FUNCDATA there are no inline frames: the physical
 * function with the innermost file:line, as debug/gosym reports. */
static void test_no_inline_view(void)
{
	const struct variant *v = &variants[3];
	struct gopclntab_opts opts = { .vaddr = TB_TAB_VADDR };
	struct sym_frame fr[4];
	struct tb_table tb;
	struct gopclntab *t;
	int n;

	build_variant(v, &tb);
	t = gopclntab__open(tb.tab, tb.size, &opts);
	REQUIRE(t);
	CHECK(!gopclntab__has_inline(t));
	n = gopclntab__resolve(t, TB_TEXT + 0x90, fr, 4);
	CHECK_INT_EQ(n, 1);
	CHECK_FRAME(fr[0], "main.outer", "/src/c.go", 40);
	gopclntab__free(t);
	tb_free(&tb);
}

static void test_header_errors(void)
{
	const struct variant *v = &variants[3];
	struct gopclntab_header hdr;
	struct tb_table tb;
	char why[128] = "";
	struct gopclntab_opts opts = { .errbuf = why, .errlen = sizeof(why) };
	uint8_t *copy;
	uint64_t a, b;

	build_variant(v, &tb);
	copy = malloc(tb.size);
	REQUIRE(copy);
	CHECK_INT_EQ(gopclntab__parse_header(tb.tab, 7, &hdr), -ENOENT);
	CHECK_INT_EQ(gopclntab__parse_header((const uint8_t *)"\x7f"
							      "ELF\2\1\1\0",
					     8, &hdr),
		     -ENOENT);
	memcpy(copy, tb.tab, tb.size);
	copy[5] = 1; /* padding */
	CHECK_INT_EQ(gopclntab__parse_header(copy, tb.size, &hdr), -EBADMSG);
	memcpy(copy, tb.tab, tb.size);
	copy[7] = 5; /* pointer size */
	CHECK_INT_EQ(gopclntab__parse_header(copy, tb.size, &hdr), -EBADMSG);
	memcpy(copy, tb.tab, tb.size);
	memset(copy + 8, 0, 8); /* no functions */
	CHECK_INT_EQ(gopclntab__parse_header(copy, tb.size, &hdr), -EBADMSG);
	memcpy(copy, tb.tab, tb.size);
	memset(copy + 24, 0, 8); /* text start 0 and none given */
	errno = 0;
	CHECK(!gopclntab__open(copy, tb.size, &opts));
	CHECK_INT_EQ(errno, EINVAL);
	/* swap the first two functab entries: out of order */
	memcpy(copy, tb.tab, tb.size);
	CHECK_INT_EQ(gopclntab__parse_header(copy, tb.size, &hdr), 0);
	a = hdr.min_size;
	memcpy(&b, copy + a, 8);
	memcpy(copy + a, copy + a + 8, 8);
	memcpy(copy + a + 8, &b, 8);
	errno = 0;
	CHECK(!gopclntab__open(copy, tb.size, &opts));
	CHECK_INT_EQ(errno, EBADMSG);
	CHECK(strstr(why, "out of order") != NULL);
	free(copy);
	tb_free(&tb);
}

/* Resolves every PC around the table's range: nothing may read outside
 * data (ASan and UBSan builds check), answers are frames or errors. */
static void sweep(const struct gopclntab *t)
{
	struct sym_frame fr[4];
	uint64_t lo, hi, pc, entry, end;
	const char *name;
	size_t i;
	int32_t sp;

	gopclntab__pc_range(t, &lo, &hi);
	if (hi - lo > 4096)
		hi = lo + 4096;
	for (pc = lo - 1; pc <= hi; pc++) {
		int n = gopclntab__resolve(t, pc, fr, 4);

		CHECK(n == -ENOENT || n == -EBADMSG || (n >= 1 && n <= 4));
		gopclntab__sp_delta(t, pc, &sp);
		gopclntab__func_bounds(t, pc, &entry, &end, &name);
	}
	for (i = 0; i < gopclntab__nfuncs(t); i++)
		gopclntab__func(t, i, &entry, &end, &name);
}

/* Every prefix of every layout, each in an allocation of exactly its
 * length: open fails cleanly or the result is safe to use. */
static void test_truncated(void)
{
	size_t i, len;

	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		struct tb_table tb;

		build_variant(&variants[i], &tb);
		for (len = 0; len <= tb.size; len++) {
			uint8_t *copy = malloc(len ? len : 1);
			struct gopclntab *t;

			memcpy(copy, tb.tab, len);
			errno = 0;
			t = open_built(&variants[i], &tb, copy, len, false);
			if (t) {
				sweep(t);
				gopclntab__free(t);
			} else {
				CHECK(errno == ENOENT || errno == EBADMSG || errno == EINVAL);
			}
			free(copy);
		}
		tb_free(&tb);
	}
}

/* Every byte of the table and of the inline trees replaced by values that
 * break offsets, varints and counts. */
static void test_mutated(void)
{
	static const uint8_t values[] = { 0xff, 0x80, 0x00, 0x7f };
	size_t i, pos, k;

	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i += 2) {
		struct tb_table tb;

		build_variant(&variants[i], &tb);
		for (pos = 0; pos < tb.size + tb.mem_size; pos++) {
			uint8_t *byte = pos < tb.size ? &tb.tab[pos] : &tb.mem[pos - tb.size];
			uint8_t saved = *byte;

			for (k = 0; k < sizeof(values); k++) {
				struct gopclntab *t;

				*byte = values[k];
				t = open_built(&variants[i], &tb, tb.tab, tb.size, false);
				if (t) {
					sweep(t);
					gopclntab__free(t);
				}
			}
			*byte = saved;
		}
		tb_free(&tb);
	}
}

/* The index must answer exactly as a decode from the entry does. */
static void test_index_matches_linear(void)
{
	size_t i;

	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		struct tb_table tb;
		struct gopclntab *fast, *slow;
		uint64_t pc, lo, hi;
		int round;

		build_variant(&variants[i], &tb);
		fast = open_built(&variants[i], &tb, tb.tab, tb.size, false);
		slow = open_built(&variants[i], &tb, tb.tab, tb.size, true);
		REQUIRE(fast && slow);
		gopclntab__pc_range(fast, &lo, &hi);
		/* twice: building the index, then using it */
		for (round = 0; round < 2; round++) {
			for (pc = hi; pc-- > lo;) {
				struct sym_frame a[4], b[4];
				int na = gopclntab__resolve(fast, pc, a, 4);
				int nb = gopclntab__resolve(slow, pc, b, 4);

				CHECK_INT_EQ(na, nb);
				if (na == nb && na > 0 &&
				    (a[0].line != b[0].line || a[0].file != b[0].file ||
				     a[na - 1].function != b[na - 1].function)) {
					fprintf(stderr, "  pc 0x%llx differs\n",
						(unsigned long long)pc);
					CHECK(0);
				}
			}
		}
		CHECK(gopclntab__index_bytes(fast) > gopclntab__index_bytes(slow));
		gopclntab__free(fast);
		gopclntab__free(slow);
		tb_free(&tb);
	}
}

static const char *installed_go_binary(void)
{
	static const char *const paths[] = {
		"/usr/lib/go-1.19/pkg/tool/linux_amd64/compile",
		"/usr/lib/go/pkg/tool/linux_amd64/compile",
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		FILE *f = fopen(paths[i], "rb");

		if (f) {
			fclose(f);
			return paths[i];
		}
	}
	return NULL;
}

/* A real toolchain binary: every function's entry resolves to itself, and
 * the index agrees with linear decoding on a spread of PCs. */
static void test_real_binary(void)
{
	const char *path = installed_go_binary();
	struct elfimage *img;
	struct gobinary *gb;
	struct gobinary_info info;
	struct byteview view;
	struct gopclntab *slow;
	struct gopclntab_opts opts = { 0 };
	size_t i, mismatches = 0;

	if (!path) {
		check_skip("test_real_binary", "no Go toolchain binary installed");
		return;
	}
	img = elfimage__open_path(path);
	REQUIRE(img);
	gb = gobinary__open(img);
	REQUIRE(gb);
	gobinary__info(gb, &info);
	CHECK_STR_EQ(info.format, "go1.18");
	CHECK(info.inline_frames);
	CHECK(info.nfuncs > 1000);
	CHECK_STR_EQ(gobinary__main_path(gb), "cmd/compile");
	CHECK(gobinary__go_version(gb) && !strncmp(gobinary__go_version(gb), "go1.", 4));
	REQUIRE(!elfimage__section(img, ".gopclntab", &view));
	opts.text_start = info.text_start;
	opts.no_index = true;
	slow = gopclntab__open(view.data, view.size, &opts);
	REQUIRE(slow);
	for (i = 0; i < info.nfuncs; i++) {
		struct sym_frame a[16], b[16];
		uint64_t entry, end, pc;
		const char *name;
		int na, nb;

		REQUIRE(!gobinary__func(gb, i, &entry, &end, &name));
		na = gobinary__resolve(gb, entry, a, 16);
		CHECK(na >= 1);
		if (na >= 1 && strcmp(a[na - 1].function, name))
			mismatches++;
		pc = entry + (end - entry) * 2 / 3;
		na = gobinary__resolve(gb, pc, a, 16);
		nb = gopclntab__resolve(slow, pc, b, 16);
		/* slow has no inline trees: it gives the physical function
		 * with the innermost position */
		if (na < 1 || nb != 1 || a[0].line != b[0].line || a[0].file != b[0].file ||
		    a[na - 1].function != b[0].function)
			mismatches++;
	}
	CHECK_INT_EQ(mismatches, 0);
	gopclntab__free(slow);
	gobinary__free(gb);
	elfimage__free(img);
}

/* A release that wrote the layout (the Go 1.2 layout's inline slots
 * depend on it). */
static const char *release_of(const struct variant *v)
{
	switch (v->format) {
	case GOPCLNTAB_GO12: return v->go_minor == 12 ? "go1.12.17" : "go1.14.2";
	case GOPCLNTAB_GO116: return "go1.16";
	case GOPCLNTAB_GO118: return "go1.19.3";
	default: return "go1.26.5";
	}
}

/* gobinary on small ELF files around built tables: the section, the build
 * info, moduledata for the text start and inline trees, Go 1.26's zero
 * header text start, and no section headers at all. */
static struct gobinary *open_elf(const struct variant *v, const struct tb_elf_opts *o,
				 struct tb_buf *elf, struct elfimage **img, char *why, size_t len)
{
	struct tb_spec spec = {
		.format = v->format,
		.go_minor = v->go_minor,
		.files = { "/src/a.go", "/src/b.go", "/src/c.go" },
		.nfiles = 3,
		.funcs = funcs,
		.nfuncs = 3,
	};
	struct tb_table tb;

	tb_build(&spec, &tb);
	tb_elf(&spec, &tb, release_of(v), o, elf);
	tb_free(&tb);
	*img = elfimage__open_mem(elf->p, elf->len);
	return *img ? gobinary__open_err(*img, why, len) : NULL;
}

static void check_elf(const struct variant *v, const struct tb_elf_opts *o, const char *pclntab,
		      const char *text_source)
{
	struct gobinary_info info;
	struct sym_frame fr[8];
	struct tb_buf elf = { 0 };
	struct elfimage *img;
	struct gobinary *gb;
	char why[160] = "";
	int n;

	gb = open_elf(v, o, &elf, &img, why, sizeof(why));
	if (!gb)
		fprintf(stderr, "  %s: %s\n", v->name, why);
	REQUIRE(gb);
	gobinary__info(gb, &info);
	CHECK_STR_EQ(info.pclntab_source, pclntab);
	CHECK_STR_EQ(info.text_source, text_source);
	CHECK_INT_EQ(info.text_start, TB_TEXT);
	CHECK(info.inline_frames);
	CHECK_STR_EQ(gobinary__go_version(gb), release_of(v));
	n = gobinary__resolve(gb, TB_TEXT + 0x90, fr, 8);
	CHECK_INT_EQ(n, 3);
	if (n == 3) {
		CHECK_FRAME(fr[0], "main.leaf[...]", "/src/c.go", 40);
		CHECK_FRAME(fr[2], "main.outer", "/src/a.go", 20);
	}
	gobinary__free(gb);
	elfimage__free(img);
	free(elf.p);
}

static void test_synthetic_elf(void)
{
	const struct tb_elf_opts plain = { 0 },
				 go126 = { .zero_text_start = true, .go_module_section = true },
				 nosect = { .no_sections = true };
	const struct tb_elf_opts lost = { .zero_text_start = true, .no_moduledata = true };
	struct tb_buf elf = { 0 };
	struct elfimage *img;
	char why[160] = "";
	size_t i;

	for (i = 0; i < 5; i++) {
		const struct variant *v = &variants[i];
		bool split = v->format >= GOPCLNTAB_GO118;

		check_elf(v, &plain, "section .gopclntab", split ? "moduledata" : "entries");
		check_elf(v, &nosect, "scan", split ? "moduledata" : "entries");
		if (split)
			check_elf(v, &go126, "section .gopclntab", "moduledata");
	}
	/* Go 1.26 without moduledata: nothing says where the text starts */
	errno = 0;
	CHECK(!open_elf(&variants[4], &lost, &elf, &img, why, sizeof(why)));
	CHECK_INT_EQ(errno, EBADMSG);
	CHECK(strstr(why, "text start not found") != NULL);
	elfimage__free(img);
	free(elf.p);
}

int main(void)
{
	CHECK_BEGIN("test_gopclntab");
	init_funcs();
	RUN(test_layouts);
	RUN(test_no_inline_view);
	RUN(test_header_errors);
	RUN(test_truncated);
	RUN(test_mutated);
	RUN(test_index_matches_linear);
	RUN(test_synthetic_elf);
	RUN(test_real_binary);
	return CHECK_END();
}
