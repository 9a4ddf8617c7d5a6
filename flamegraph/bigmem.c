#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bigmem.h"

#define HUGE_PAGE (2u << 20)
#define SMALL (1u << 20) /* below this, malloc is as good */

static size_t round_up(size_t n)
{
	return (n + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
}

void *fg_big_alloc(size_t bytes)
{
	size_t len, span;
	uintptr_t raw, aligned;
	void *p;

	if (bytes < SMALL)
		return calloc(1, bytes ? bytes : 1);
	len = round_up(bytes);
	if (len < bytes || len + HUGE_PAGE < len)
		return NULL;
	/* Map one huge page more and trim both ends to the alignment. */
	span = len + HUGE_PAGE;
	p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	raw = (uintptr_t)p;
	aligned = (raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (aligned > raw)
		munmap(p, aligned - raw);
	if (raw + span > aligned + len)
		munmap((void *)(aligned + len), raw + span - (aligned + len));
	/* Only advice: without THP this is ordinary memory. */
	madvise((void *)aligned, len, MADV_HUGEPAGE);
	return (void *)aligned;
}

void fg_big_free(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < SMALL)
		free(p);
	else
		munmap(p, round_up(bytes));
}

void *fg_big_grow(void *p, size_t old, size_t new_bytes)
{
	void *q;

	if (new_bytes <= old)
		return p;
	if (new_bytes < SMALL) {
		q = realloc(p, new_bytes);
		if (q)
			memset((char *)q + old, 0, new_bytes - old);
		return q;
	}
	if (old >= SMALL && round_up(old) >= new_bytes)
		return p; /* already mapped, and zero past old */
	if (old >= SMALL) {
		/* Move the pages instead of copying them (no copy, and nothing
		 * zeroed twice) into a new aligned range that has room. */
		void *dst = fg_big_alloc(new_bytes);

		if (!dst)
			return NULL;
		q = mremap(p, round_up(old), round_up(new_bytes), MREMAP_MAYMOVE | MREMAP_FIXED,
			   dst);
		if (q != MAP_FAILED) {
			madvise(q, round_up(new_bytes), MADV_HUGEPAGE);
			return q;
		}
		fg_big_free(dst, new_bytes);
	}
	q = fg_big_alloc(new_bytes);
	if (!q)
		return NULL;
	if (old)
		memcpy(q, p, old);
	fg_big_free(p, old);
	return q;
}
