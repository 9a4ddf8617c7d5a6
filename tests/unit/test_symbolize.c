/* Native symbolization end to end on this very process: a PIE binary whose
 * functions we know the addresses of. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "check.h"
#include "sym/binary.h"
#include "sym/callsite.h"
#include "sym/elfsyms.h"
#include "sym/procsym.h"

__attribute__((noinline)) int podflame_known_function(int x)
{
	return x * 3 + 1;
}

static void resolves_own_functions(void)
{
	struct procsym_stats st = { 0 };
	struct symcache *cache = symcache__new();
	struct binsym *vdso = procsym__open_vdso();
	struct procsym *ps;
	struct addr_location where;
	struct sym_frame frames[4];
	uint64_t addr = (uint64_t)(uintptr_t)&podflame_known_function;
	int n;

	REQUIRE(cache);
	ps = procsym__snapshot(getpid(), cache, vdso, &st);
	REQUIRE(ps);
	n = procsym__resolve(ps, addr + 3, &where, frames, 4);
	CHECK_INT_EQ(n, 1);
	CHECK_STR_EQ(frames[0].function, "podflame_known_function");
	CHECK_INT_EQ(frames[0].kind, FRAME_NATIVE);
	/* Only a Go main binary is looked up; this test is C. */
	CHECK(procsym__main_binary(ps) == NULL);
	CHECK(strstr(where.module, "test_symbolize") != NULL);
	/* libc's exported function through .dynsym */
	n = procsym__resolve(ps, (uint64_t)(uintptr_t)&getpid, &where, frames, 4);
	CHECK(n >= 1);
	if (n >= 1)
		CHECK(strstr(frames[0].function, "getpid") != NULL);
	CHECK_INT_EQ(procsym__resolve(ps, 0x10, &where, frames, 4), -ENOENT);
	procsym__free(ps);
	binsym__free(vdso);
	symcache__free(cache);
}

static void vdso_has_symbols(void)
{
	struct binsym *vdso = procsym__open_vdso();
	struct sym_frame frame = { 0 };
	struct elfsyms *syms;
	uint64_t vaddr;

	REQUIRE(vdso);
	syms = elfsyms__load(binsym__image(vdso));
	REQUIRE(syms);
	REQUIRE(elfsyms__lookup_name(syms, "__vdso_clock_gettime", &vaddr) == 0);
	CHECK_INT_EQ(binsym__resolve(vdso, vaddr + 1, &frame, 1), 1);
	CHECK_STR_EQ(frame.function, "__vdso_clock_gettime");
	elfsyms__free(syms);
	binsym__free(vdso);
}

static void cache_shares_binaries(void)
{
	struct symcache *cache = symcache__new();
	struct symcache_stats st;
	const struct binsym *a, *b;
	int fd1 = open("/proc/self/exe", O_RDONLY), fd2 = open("/proc/self/exe", O_RDONLY);

	REQUIRE(cache && fd1 >= 0 && fd2 >= 0);
	CHECK_INT_EQ(symcache__get_fd(cache, fd1, "self", &a, NULL), 0);
	CHECK_INT_EQ(symcache__get_fd(cache, fd2, "self", &b, NULL), 0);
	CHECK(a == b);
	symcache__stats(cache, &st);
	CHECK_INT_EQ(st.opened, 1);
	CHECK_INT_EQ(st.hits, 1);
	close(fd1);
	close(fd2);
	/* A twin (same build id, another file) shares the parse but is not
	 * held, so its mapping identity must not be remembered. */
	{
		char twin_path[] = "/tmp/podflame-twin-XXXXXX";
		int twin = mkstemp(twin_path), self = open("/proc/self/exe", O_RDONLY);
		const struct binsym *c = NULL, *known = NULL;
		char buf[65536];
		ssize_t n;
		bool held = true;

		REQUIRE(twin >= 0 && self >= 0);
		while ((n = read(self, buf, sizeof(buf))) > 0)
			REQUIRE(write(twin, buf, (size_t)n) == n);
		CHECK_INT_EQ(symcache__get_fd(cache, twin, "twin", &c, &held), 0);
		CHECK(c == a);
		CHECK(!held);
		CHECK_INT_EQ(symcache__get_fd(cache, self, "self", &c, &held), 0);
		CHECK(held);
		CHECK_INT_EQ(symcache__get_mapped(cache, 8, 1, 42, &known), -ENOENT);
		CHECK_INT_EQ(symcache__note_mapped(cache, 8, 1, 42, a), 0);
		CHECK_INT_EQ(symcache__get_mapped(cache, 8, 1, 42, &known), 0);
		CHECK(known == a);
		CHECK_INT_EQ(symcache__get_mapped(cache, 8, 2, 42, &known), -ENOENT);
		CHECK_INT_EQ(symcache__get_mapped(cache, 8, 1, 0, &known), -ENOENT);
		close(self);
		close(twin);
		unlink(twin_path);
	}
	/* A non-ELF file fails, and the failure is remembered. */
	fd1 = open("/proc/self/maps", O_RDONLY);
	CHECK(symcache__get_fd(cache, fd1, "maps", &a, NULL) < 0);
	close(fd1);
	symcache__free(cache);
}

static void elfsyms_by_name_and_address(void)
{
	struct elfimage *img = elfimage__open_path("/proc/self/exe");
	struct elfsyms *syms;
	const char *name;
	uint64_t vaddr, off;

	REQUIRE(img);
	syms = elfsyms__load(img);
	REQUIRE(syms);
	CHECK_INT_EQ(elfsyms__lookup_name(syms, "podflame_known_function", &vaddr), 0);
	CHECK_INT_EQ(elfsyms__resolve(syms, vaddr + 2, &name, &off), 0);
	CHECK_STR_EQ(name, "podflame_known_function");
	CHECK_INT_EQ(off, 2);
	CHECK_INT_EQ(elfsyms__resolve(syms, 1, &name, &off), -ENOENT);
	elfsyms__free(syms);
	elfimage__free(img);
	CHECK(podflame_known_function(1) == 4);
}

static const uint8_t zeroes[16];

__attribute__((noinline)) static void *where_we_return(void)
{
	return __builtin_return_address(0);
}

static void return_sites(void)
{
	struct elfimage *img = elfimage__open_path("/proc/self/exe");
	struct procmaps pm;
	const struct procmap *m;
	uint64_t ret = (uint64_t)(uintptr_t)where_we_return(), vaddr;

	REQUIRE(img && procmaps__read_pid(&pm, getpid(), true) == 0);
	m = procmaps__find(&pm, ret);
	REQUIRE(m);
	REQUIRE(elfimage__offset_to_vaddr(img, ret - m->start + m->offset, &vaddr) == 0);
	CHECK(callsite__returns_to(img, vaddr));
	/* Zeroed data is no call. (A function's entry is no negative case:
	 * it may follow a noreturn call, as ASan's report calls are.) */
	CHECK(!callsite__returns_to(img, (uint64_t)sizeof(zeroes) + 64));
	{
		struct byteview bss_like;

		if (!elfimage__section(img, ".data", &bss_like) && bss_like.size >= 16)
			CHECK(!callsite__returns_to(img, bss_like.vaddr + 8) ||
			      memcmp(bss_like.data, zeroes, 8));
	}
	CHECK(!callsite__returns_to(img, 3));
	procmaps__release(&pm);
	elfimage__free(img);
}

static void rejects_non_elf(void)
{
	static const char junk[] = "#!/bin/sh\necho not elf\n";
	struct elfimage *img = elfimage__open_mem(junk, sizeof(junk));

	CHECK(img == NULL);
	CHECK_INT_EQ(errno, ENOEXEC);
	img = elfimage__open_mem("\177ELF", 4);
	CHECK(img == NULL);
}

int main(void)
{
	CHECK_BEGIN("symbolize");
	RUN(resolves_own_functions);
	RUN(vdso_has_symbols);
	RUN(cache_shares_binaries);
	RUN(elfsyms_by_name_and_address);
	RUN(return_sites);
	RUN(rejects_non_elf);
	return CHECK_END();
}
