/* The build info reader on blobs laid out as cmd/link writes them (both
 * layouts, both byte orders), on damaged ones, the runtime version string
 * search, and a real binary when one is installed. `go version -m` is the
 * reference in tests/integration/gosym_buildinfo.sh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sym/elfimage.h"
#include "sym/gobinary.h"
#include "sym/gobuildinfo.h"

static const char sentinel_start[] = "0w\xaf\x0c\x92t\x08\x02"
				     "A\xe1\xc1\x07\xe6\xd6\x18\xe6";
static const char sentinel_end[] = "\xf9"
				   "2C1\x86\x18 r\x00\x82"
				   "B\x10"
				   "A\x16\xd8\xf2";

static const char modinfo_text[] = "path\texample.com/app/cmd/app\n"
				   "mod\texample.com/app\t(devel)\t\n"
				   "dep\tgolang.org/x/sys\tv0.5.0\th1:abc=\n"
				   "dep\tgithub.com/pkg/errors\tv0.9.1\th1:def=\n"
				   "=>\t../errors\t(devel)\t\n"
				   "build\t-compiler=gc\n"
				   "build\t-ldflags=\"-s -w -X \\\"main.v=1\\\"\"\n"
				   "build\tCGO_ENABLED=0\n"
				   "build\tGOARCH=amd64\n"
				   "build\t\"we=ird\"=`raw value`\n";

/* The module text with its sentinels, as the linker stores it. */
static size_t modinfo(char *out)
{
	size_t n = 0;

	memcpy(out, sentinel_start, 16);
	n += 16;
	memcpy(out + n, modinfo_text, strlen(modinfo_text));
	n += strlen(modinfo_text);
	memcpy(out + n, sentinel_end, 16);
	return n + 16;
}

static size_t put_uvarint(uint8_t *p, size_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* Go 1.18+: strings inline after the 32-byte header. */
static size_t inline_blob(uint8_t *blob, const char *version)
{
	char mod[1024];
	size_t mlen = modinfo(mod), n = 32;

	memset(blob, 0, 32);
	memcpy(blob, "\xff Go buildinf:", 14);
	blob[14] = 8;
	blob[15] = 2;
	n += put_uvarint(blob + n, strlen(version));
	memcpy(blob + n, version, strlen(version));
	n += strlen(version);
	n += put_uvarint(blob + n, mlen);
	memcpy(blob + n, mod, mlen);
	return n + mlen;
}

static void check_full(const struct gobuildinfo *bi, const char *version)
{
	const char *path, *ver, *key, *value;

	CHECK_STR_EQ(gobuildinfo__go_version(bi), version);
	CHECK_STR_EQ(gobuildinfo__path(bi), "example.com/app/cmd/app");
	CHECK_STR_EQ(gobuildinfo__main_module(bi), "example.com/app");
	CHECK_STR_EQ(gobuildinfo__main_version(bi), "(devel)");
	CHECK_INT_EQ(gobuildinfo__ndeps(bi), 2);
	CHECK_INT_EQ(gobuildinfo__dep(bi, 1, &path, &ver), 0);
	CHECK_STR_EQ(path, "github.com/pkg/errors");
	CHECK_STR_EQ(ver, "v0.9.1");
	CHECK_INT_EQ(gobuildinfo__dep(bi, 2, &path, &ver), -ERANGE);
	CHECK(gobuildinfo__has_dep(bi, "golang.org/x/sys"));
	CHECK(!gobuildinfo__has_dep(bi, "golang.org/x/net"));
	CHECK(!gobuildinfo__has_dep(bi, "../errors"));
	CHECK_STR_EQ(gobuildinfo__setting(bi, "-ldflags"), "-s -w -X \"main.v=1\"");
	CHECK_STR_EQ(gobuildinfo__setting(bi, "CGO_ENABLED"), "0");
	CHECK_STR_EQ(gobuildinfo__setting(bi, "we=ird"), "raw value");
	CHECK(!gobuildinfo__setting(bi, "GOOS"));
	CHECK_INT_EQ(gobuildinfo__nsettings(bi), 5);
	CHECK_INT_EQ(gobuildinfo__setting_at(bi, 0, &key, &value), 0);
	CHECK_STR_EQ(key, "-compiler");
	CHECK_STR_EQ(value, "gc");
}

static void test_inline_layout(void)
{
	uint8_t blob[2048];
	size_t n = inline_blob(blob, "go1.21.3");
	size_t off;
	struct gobuildinfo *bi = gobuildinfo__parse(blob, n, NULL, NULL);

	REQUIRE(bi);
	check_full(bi, "go1.21.3");
	gobuildinfo__free(bi);
	CHECK_INT_EQ(gobuildinfo__locate(blob, n, 0x5000, &off), 0);
	CHECK_INT_EQ(off, 0);
	CHECK_INT_EQ(gobuildinfo__locate(blob + 16, n - 16, 0x5010, &off), -ENOENT);
}

/* Before Go 1.18: two pointers to string headers elsewhere in memory. */
struct fake_mem {
	uint8_t bytes[2048];
	uint64_t base;
};

static int mem_view(void *ctx, uint64_t vaddr, const uint8_t **p, size_t *avail)
{
	struct fake_mem *m = ctx;

	if (vaddr < m->base || vaddr - m->base >= sizeof(m->bytes))
		return -ENOENT;
	*p = m->bytes + (vaddr - m->base);
	*avail = sizeof(m->bytes) - (size_t)(vaddr - m->base);
	return 0;
}

static void put_word(uint8_t *p, uint64_t v, unsigned size, bool be)
{
	unsigned i;

	for (i = 0; i < size; i++)
		p[be ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static void pointer_layout(unsigned ptrsize, bool be)
{
	static struct fake_mem mem;
	uint8_t blob[64] = "\xff Go buildinf:";
	char mod[1024];
	size_t mlen = modinfo(mod);
	uint64_t base = 0x700000;
	struct gobuildinfo *bi;

	memset(mem.bytes, 0, sizeof(mem.bytes));
	mem.base = base;
	blob[14] = (uint8_t)ptrsize;
	blob[15] = be;
	/* string headers at +0 and +16, data at +64 and +128 */
	put_word(blob + 16, base, ptrsize, be);
	put_word(blob + 16 + ptrsize, base + 16, ptrsize, be);
	put_word(mem.bytes, base + 64, ptrsize, be);
	put_word(mem.bytes + ptrsize, 6, ptrsize, be);
	put_word(mem.bytes + 16, base + 128, ptrsize, be);
	put_word(mem.bytes + 16 + ptrsize, mlen, ptrsize, be);
	memcpy(mem.bytes + 64, "go1.16", 6);
	memcpy(mem.bytes + 128, mod, mlen);
	bi = gobuildinfo__parse(blob, sizeof(blob), mem_view, &mem);
	REQUIRE(bi);
	check_full(bi, "go1.16");
	gobuildinfo__free(bi);
	/* a string pointer into nowhere */
	put_word(mem.bytes, base + 4096, ptrsize, be);
	errno = 0;
	CHECK(!gobuildinfo__parse(blob, sizeof(blob), mem_view, &mem));
	CHECK_INT_EQ(errno, EBADMSG);
}

static void test_pointer_layout(void)
{
	pointer_layout(8, false);
	pointer_layout(4, false);
	pointer_layout(8, true);
}

static void test_damaged(void)
{
	uint8_t blob[2048];
	size_t n = inline_blob(blob, "go1.20.1"), len, pos;
	struct gobuildinfo *bi;

	errno = 0;
	CHECK(!gobuildinfo__parse((const uint8_t *)"\x7f"
						   "ELF",
				  4, NULL, NULL));
	CHECK_INT_EQ(errno, ENOENT);
	/* every prefix, in an allocation of its exact length */
	for (len = 0; len <= n; len++) {
		uint8_t *copy = malloc(len ? len : 1);

		memcpy(copy, blob, len);
		bi = gobuildinfo__parse(copy, len, NULL, NULL);
		CHECK(len == n ? bi != NULL : bi == NULL);
		gobuildinfo__free(bi);
		free(copy);
	}
	/* every byte flipped: parses or fails, never reads outside */
	for (pos = 0; pos < n; pos++) {
		uint8_t saved = blob[pos];

		blob[pos] ^= 0xff;
		bi = gobuildinfo__parse(blob, n, NULL, NULL);
		if (bi) {
			gobuildinfo__has_dep(bi, "x");
			gobuildinfo__setting(bi, "GOARCH");
		}
		gobuildinfo__free(bi);
		blob[pos] = saved;
	}
	/* a varint that never ends */
	memset(blob + 32, 0xff, 16);
	CHECK(!gobuildinfo__parse(blob, 48, NULL, NULL));
	/* module text without sentinels: no modules, still a version */
	n = 32;
	n += put_uvarint(blob + n, 6);
	memcpy(blob + n, "go1.22", 6);
	n += 6;
	n += put_uvarint(blob + n, 9);
	memcpy(blob + n, "path\tx\nab", 9);
	n += 9;
	bi = gobuildinfo__parse(blob, n, NULL, NULL);
	REQUIRE(bi);
	CHECK_STR_EQ(gobuildinfo__go_version(bi), "go1.22");
	CHECK(!gobuildinfo__path(bi));
	gobuildinfo__free(bi);
}

static void test_go_minor(void)
{
	CHECK_INT_EQ(gobuildinfo__go_minor("go1.21.3"), 21);
	CHECK_INT_EQ(gobuildinfo__go_minor("go1.9"), 9);
	CHECK_INT_EQ(gobuildinfo__go_minor("go1.26rc1"), 26);
	CHECK_INT_EQ(gobuildinfo__go_minor("devel go1.23-abc Tue"), 23);
	CHECK_INT_EQ(gobuildinfo__go_minor("gccgo"), 0);
	CHECK_INT_EQ(gobuildinfo__go_minor("go1."), 0);
	CHECK_INT_EQ(gobuildinfo__go_minor(NULL), 0);
}

/* runtime.buildVersion: a string header in writable memory pointing at
 * "go1.N..." in read-only memory; decoys without a header lose. */
static void test_runtime_version(void)
{
	static const char ro[] = "xxgo1.99yygo1.25.5 X:nodwarf5\nzgo1.23.4";
	uint8_t rw[64] = { 0 };
	struct gomem_region r[2] = {
		{ (const uint8_t *)ro, sizeof(ro) - 1, 0x400000, false, false },
		{ rw, sizeof(rw), 0x500000, true, false },
	};
	const char *v;
	size_t len;

	CHECK_INT_EQ(gobuildinfo__find_runtime_version(r, 2, 8, false, &v, &len), -ENOENT);
	put_word(rw + 24, 0x400000 + 10, 8, false);
	put_word(rw + 32, 18, 8, false);
	CHECK_INT_EQ(gobuildinfo__find_runtime_version(r, 2, 8, false, &v, &len), 0);
	CHECK_INT_EQ(len, 18);
	CHECK(!strncmp(v, "go1.25.5 X:nodwarf5", len));
	{
		/* build info that is only that version */
		struct gobuildinfo *bi = gobuildinfo__from_version(v, len);

		REQUIRE(bi);
		CHECK_STR_EQ(gobuildinfo__go_version(bi), "go1.25.5 X:nodwarf");
		CHECK(!gobuildinfo__main_module(bi) && !gobuildinfo__ndeps(bi));
		gobuildinfo__free(bi);
	}
	/* a header whose length runs past the string's bytes is not one */
	put_word(rw + 32, 4000, 8, false);
	CHECK_INT_EQ(gobuildinfo__find_runtime_version(r, 2, 8, false, &v, &len), -ENOENT);
	/* nor one pointing at text that is not a version */
	put_word(rw + 24, 0x400000 + 10, 8, false);
	put_word(rw + 32, 28, 8, false);
	CHECK_INT_EQ(gobuildinfo__find_runtime_version(r, 2, 8, false, &v, &len), -ENOENT);
}

static void test_real_binary(void)
{
	static const char path[] = "/usr/lib/go-1.19/pkg/tool/linux_amd64/compile";
	struct elfimage *img = elfimage__open_path(path);
	struct gobinary *gb;

	if (!img) {
		check_skip("test_real_binary", "no Go 1.19 toolchain installed");
		return;
	}
	gb = gobinary__open(img);
	REQUIRE(gb);
	CHECK(gobinary__go_version(gb) && !strncmp(gobinary__go_version(gb), "go1.19", 6));
	CHECK_STR_EQ(gobinary__main_path(gb), "cmd/compile");
	CHECK_STR_EQ(gobinary__build_setting(gb, "-compiler"), "gc");
	gobinary__free(gb);
	elfimage__free(img);
}

int main(void)
{
	CHECK_BEGIN("test_gobuildinfo");
	RUN(test_inline_layout);
	RUN(test_pointer_layout);
	RUN(test_damaged);
	RUN(test_go_minor);
	RUN(test_runtime_version);
	RUN(test_real_binary);
	return CHECK_END();
}
