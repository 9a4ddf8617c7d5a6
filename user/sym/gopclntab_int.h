/* Inside the pclntab reader (user/sym/gopclntab*.c only): the opened
 * table, shared by the code that checks it at open (gopclntab_open.c) and
 * the code that looks PCs up (gopclntab.c). */
#ifndef PODFLAME_GOPCLNTAB_INT_H
#define PODFLAME_GOPCLNTAB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sym/gopcindex.h"
#include "sym/gopclntab.h"

/* A sub-table: data[off, off + len). */
struct span {
	size_t off, len;
	/* Its last byte is NUL, so every string starting in it ends in it. */
	bool terminated;
};

struct gopclntab {
	const uint8_t *data;
	size_t size;
	struct gopclntab_header hdr;
	uint64_t text; /* Go 1.18+: base of entry offsets */
	uint64_t gofunc; /* Go 1.18+: base of FUNCDATA offsets, 0 unknown */
	uint64_t vaddr;
	struct span whole, funcnames, cutab, filetab, pctab, pcln, functab;
	uint32_t nfiletab; /* Go 1.2: entries of the file table */
	size_t entry_size; /* one functab entry */
	size_t func_size; /* fixed part of a _func record */
	size_t field0; /* offset of nameoff in _func (after entry) */
	int inl_pcdata, inl_funcdata; /* table indexes; -1: no inline tree */
	size_t inl_rec_size, inl_name_at, inl_parent_pc_at;
	int (*view)(void *ctx, uint64_t vaddr, const uint8_t **p, size_t *avail);
	void *view_ctx;
	uint64_t min_pc, max_pc;
	/* PC -> functab slot in two steps: bucket b covers PCs from
	 * min_pc + (b << bucket_shift); buckets[b] is the slot of the function
	 * holding its first PC, so a lookup searches between two buckets. */
	uint32_t *buckets;
	size_t nbuckets;
	unsigned bucket_shift;
	/* Lookups update it behind the const API: one thread at a time. */
	struct gopcindex *index;
};

static inline bool host_big_endian(void)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
}

static inline uint32_t rd32(const struct gopclntab *t, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return t->hdr.big_endian != host_big_endian() ? __builtin_bswap32(v) : v;
}

static inline uint64_t rd64(const struct gopclntab *t, const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return t->hdr.big_endian != host_big_endian() ? __builtin_bswap64(v) : v;
}

static inline uint64_t rdptr(const struct gopclntab *t, const uint8_t *p)
{
	return t->hdr.ptrsize == 8 ? rd64(t, p) : rd32(t, p);
}

/* Entry PC of functab slot i (i == nfunc: the end of the last function). */
static inline uint64_t entry_at(const struct gopclntab *t, size_t i)
{
	const uint8_t *e = t->data + t->functab.off + i * t->entry_size;

	if (t->hdr.format >= GOPCLNTAB_GO118)
		return t->text + rd32(t, e);
	return rdptr(t, e);
}

/* Offset of function i's record in the pcln sub-table. */
static inline uint64_t funcoff_at(const struct gopclntab *t, size_t i)
{
	const uint8_t *e = t->data + t->functab.off + i * t->entry_size;

	if (t->hdr.format >= GOPCLNTAB_GO118)
		return rd32(t, e + 4);
	return rdptr(t, e + t->hdr.ptrsize);
}

#endif
