/* A lazily built index over pc-value tables. Looking a PC up in a table
 * means decoding it from the function's entry; in a large function that is
 * thousands of pairs. The first lookup in a table decodes all of it once and
 * keeps the decoder's state every few pairs (a checkpoint); later lookups
 * binary-search the checkpoints and decode at most that many pairs. Answers
 * are the same as a linear decode, errors included.
 *
 * Memory is capped at creation: past the cap tables are decoded linearly,
 * as without the index. Not safe for concurrent use. */
#ifndef PODFLAME_GOPCINDEX_H
#define PODFLAME_GOPCINDEX_H

#include <stddef.h>
#include <stdint.h>

struct gopcindex;

struct gopcindex *gopcindex__new(size_t max_bytes);
void gopcindex__free(struct gopcindex *ix);
/* Bytes allocated (entries and checkpoints). */
size_t gopcindex__bytes(const struct gopcindex *ix);

/* The value for target of the table that starts at tab (and may not run
 * past end), decoded from base; key (nonzero) names the table: the same
 * key must always mean the same bytes. 0, -ENOENT (the table ends before
 * target), -EBADMSG (it runs past end). */
int gopcindex__value(struct gopcindex *ix, uint32_t key, const uint8_t *tab, const uint8_t *end,
		     uint64_t base, unsigned quantum, uint64_t target, int32_t *val);

#endif
