/* A lazily built index over pc-value tables. Looking a PC up in a table
 * means decoding it from the function's entry; in a large function that is
 * thousands of pairs. The first lookup in a table decodes all of it once and
 * keeps the decoder's state every few pairs (a checkpoint); later lookups
 * binary-search the checkpoints and decode at most that many pairs. Answers
 * are the same as a linear decode, errors included.
 *
 * Tables are named by slot: function index * GOPCINDEX_TABLES + which table,
 * so the slots of one function share a cache line. Slots (16 bytes a
 * function) are allocated on the first lookup; checkpoints are capped at
 * creation, and past the cap tables are decoded linearly, as without the
 * index. Not safe for concurrent use. */
#ifndef PODFLAME_GOPCINDEX_H
#define PODFLAME_GOPCINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "sym/gopcvalue.h"

/* Tables indexed per function: pcfile, pcln, inline tree index, pcsp. */
#define GOPCINDEX_TABLES 4

struct gopcindex;

struct gopcindex *gopcindex__new(size_t nfuncs, size_t max_checkpoint_bytes);
void gopcindex__free(struct gopcindex *ix);
/* Bytes allocated (slots and checkpoints). */
size_t gopcindex__bytes(const struct gopcindex *ix);

/* Where to start decoding the table that starts at tab (and may not run
 * past end), from base, to reach target: *s is the table's start or the
 * last checkpoint at or below target. slot (< nfuncs * GOPCINDEX_TABLES)
 * names the table: the same slot must always mean the same bytes. The
 * first seek in a table builds its checkpoints (a table that is corrupt,
 * short or over budget gets none, and *s is its start). */
void gopcindex__seek(struct gopcindex *ix, size_t slot, const uint8_t *tab, const uint8_t *end,
		     uint64_t base, unsigned quantum, uint64_t target, struct pcv_state *s);

/* A hint: the tables of the function whose slots start at first_slot
 * are about to be read. */
void gopcindex__prefetch(const struct gopcindex *ix, size_t first_slot);

#endif
