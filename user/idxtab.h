/* A hash set of dense indices into a caller's array: the caller keeps the
 * records, the table maps a hash to candidates and asks the caller to
 * compare. Used for every dedup table (functions, locations, stacks...). */
#ifndef PODFLAME_IDXTAB_H
#define PODFLAME_IDXTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct idxtab {
	uint64_t *slots; /* (hash32 << 32) | (index + 1); 0 empty */
	size_t cap, count; /* cap: power of two */
};

/* Does record idx equal the key being looked up? */
typedef bool (*idxtab_eq_fn)(const void *ctx, uint32_t idx);

/* Finds a record with this hash for which eq() says yes; -ENOENT. */
int idxtab__find(const struct idxtab *t, uint64_t hash, idxtab_eq_fn eq, const void *ctx,
		 uint32_t *idx);
/* Inserts idx (the caller checked it is not there). 0 or -ENOMEM. */
int idxtab__insert(struct idxtab *t, uint64_t hash, uint32_t idx);
void idxtab__release(struct idxtab *t);

#endif
