/* Go's function table, .gopclntab: PC -> function, file:line, inlined
 * frames, SP delta. Reads the four layouts shipped binaries carry:
 *
 *   magic 0xfffffffb  Go 1.2-1.15   entries are absolute PCs
 *   magic 0xfffffffa  Go 1.16-1.17  split name/file/pc tables, absolute PCs
 *   magic 0xfffffff0  Go 1.18-1.19  entries are offsets from the text start
 *   magic 0xfffffff1  Go 1.20+      as 1.18, plus start lines; smaller
 *                                   inline records
 *
 * The input is a byte view of the table and a few facts the table does not
 * hold itself (text start, where FUNCDATA points); it knows nothing of ELF or
 * files. Every read is bounds-checked against the view: a hostile table gives
 * -EBADMSG, never a read outside it. Nothing is decoded or allocated per
 * function at open; each lookup is a binary search of the function table
 * followed by a walk of that function's pc-value tables. */
#ifndef PODFLAME_GOPCLNTAB_H
#define PODFLAME_GOPCLNTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"

enum gopclntab_format {
	GOPCLNTAB_GO12 = 1, /* 0xfffffffb */
	GOPCLNTAB_GO116, /* 0xfffffffa */
	GOPCLNTAB_GO118, /* 0xfffffff0 */
	GOPCLNTAB_GO120, /* 0xfffffff1 */
};

/* What the header says, before anything else is trusted. */
struct gopclntab_header {
	enum gopclntab_format format;
	bool big_endian;
	uint8_t quantum; /* minimum instruction size: 1 x86, 4 arm64 */
	uint8_t ptrsize; /* 4 or 8 */
	uint64_t nfunc;
	/* Go 1.18+: the header's text start. 0 from Go 1.26 on (the linker
	 * stopped storing it) and in unrelocated PIE tables: then the caller
	 * must find the text start elsewhere (runtime.text, moduledata). */
	uint64_t text_start;
	/* Go 1.16+: offset of the function name table from the header. */
	uint64_t funcname_offset;
	/* Bytes the table is known to span (its last sub-table's start). */
	uint64_t min_size;
};

/* "go1.2", "go1.16", "go1.18", "go1.20": the oldest release of a format. */
const char *gopclntab__format_name(enum gopclntab_format format);

/* Checks the header at data[0..size): magic, padding, quantum, pointer
 * size, sub-table offsets inside the view. 0, -ENOENT (no magic: not a
 * table) or -EBADMSG (a magic with an impossible header). */
int gopclntab__parse_header(const uint8_t *data, size_t size, struct gopclntab_header *hdr);

/* Where the inline tree is: FUNCDATA entries hold addresses (Go < 1.18) or
 * offsets from the runtime's "gofunc" base (1.18+), outside the table in
 * most layouts, so the caller supplies a view of memory by address. */
struct gopclntab_opts {
	/* Go 1.18+: base of function entry offsets; 0: the header's value. */
	uint64_t text_start;
	/* Go 1.18+: moduledata.gofunc; 0 when unknown (no inline frames). */
	uint64_t gofunc;
	/* Virtual address of the table itself (aligns Go < 1.18 FUNCDATA). */
	uint64_t vaddr;
	/* Go 1.2-1.15 tables do not say which release wrote them and the
	 * inline tree's slots moved: minor version (12, 13, ...), 0 unknown
	 * (assume 1.13-1.15). Ignored for the later formats. */
	unsigned go_minor;
	/* *p and *avail: the readable bytes at vaddr. 0 or -ENOENT. NULL:
	 * no inline expansion. */
	int (*view)(void *ctx, uint64_t vaddr, const uint8_t **p, size_t *avail);
	void *view_ctx;
	/* Decode every lookup from the function's entry instead of keeping
	 * an index of the pc tables (for tests comparing the two). */
	bool no_index;
	/* Optional: a sentence on why open failed ("functab entry 12 out of
	 * order"), NUL-terminated. */
	char *errbuf;
	size_t errlen;
};

struct gopclntab;

/* Opens the table in data[0..size) (which must outlive it). Checks the
 * header and that the function table is in bounds and sorted. NULL + errno:
 * ENOENT no table magic, EBADMSG corrupt, EINVAL Go 1.18+ table with no text
 * start known, ENOMEM. */
struct gopclntab *gopclntab__open(const uint8_t *data, size_t size,
				  const struct gopclntab_opts *opts);
void gopclntab__free(struct gopclntab *t);

enum gopclntab_format gopclntab__format(const struct gopclntab *t);
uint64_t gopclntab__text_start(const struct gopclntab *t);
/* Bytes allocated beside the table: this object and the pc-table index,
 * which grows with lookups up to half the size of the pc tables. */
size_t gopclntab__index_bytes(const struct gopclntab *t);
/* True when inlined frames can be expanded (the inline tree is readable). */
bool gopclntab__has_inline(const struct gopclntab *t);
size_t gopclntab__nfuncs(const struct gopclntab *t);
/* [min, max): the PCs the table covers. */
void gopclntab__pc_range(const struct gopclntab *t, uint64_t *min, uint64_t *max);

/* The i-th function (address order): [entry, end) and name. Names point
 * into the table. -ERANGE past the end, -EBADMSG corrupt. */
int gopclntab__func(const struct gopclntab *t, size_t i, uint64_t *entry, uint64_t *end,
		    const char **name);

/* Frames at pc into frames[0..cap): inlined calls innermost first, then the
 * function that holds the code, each with the file:line Go records (file
 * NULL and line 0 where the table has none, e.g. padding after a
 * function's last instruction). When the chain is longer than cap, the
 * innermost cap-1 frames are kept and frames[cap-1] is still the physical
 * function. Lookups extend an index inside t: one thread at a time per
 * table. Returns the count (>= 1), -ENOENT when pc is in no function,
 * -EBADMSG corrupt, -EINVAL cap 0. kind is FRAME_GO. */
int gopclntab__resolve(const struct gopclntab *t, uint64_t pc, struct sym_frame *frames,
		       size_t cap);

/* The physical function holding pc. -ENOENT / -EBADMSG. */
int gopclntab__func_bounds(const struct gopclntab *t, uint64_t pc, uint64_t *entry, uint64_t *end,
			   const char **name);

/* The pcsp value at pc: bytes the function has taken off SP there (0 at
 * entry). -ENOENT outside functions and past a function's code, -EBADMSG. */
int gopclntab__sp_delta(const struct gopclntab *t, uint64_t pc, int32_t *delta);

#endif
