#include <errno.h>
#include <stdlib.h>

#include "idxtab.h"

static int grow(struct idxtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 256, i;
	uint64_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->cap; i++) {
		size_t pos;

		if (!t->slots[i])
			continue;
		for (pos = (t->slots[i] >> 32) & (cap - 1); slots[pos]; pos = (pos + 1) & (cap - 1))
			;
		slots[pos] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

int idxtab__find(const struct idxtab *t, uint64_t hash, idxtab_eq_fn eq, const void *ctx,
		 uint32_t *idx)
{
	uint32_t hash32 = (uint32_t)(hash ^ (hash >> 32));
	size_t pos;

	if (!t->cap)
		return -ENOENT;
	for (pos = hash32 & (t->cap - 1); t->slots[pos]; pos = (pos + 1) & (t->cap - 1)) {
		uint64_t slot = t->slots[pos];

		if ((uint32_t)(slot >> 32) == hash32 && eq(ctx, (uint32_t)slot - 1)) {
			*idx = (uint32_t)slot - 1;
			return 0;
		}
	}
	return -ENOENT;
}

int idxtab__insert(struct idxtab *t, uint64_t hash, uint32_t idx)
{
	uint32_t hash32 = (uint32_t)(hash ^ (hash >> 32));
	size_t pos;
	int err;

	if ((t->count + 1) * 4 >= t->cap * 3) {
		err = grow(t);
		if (err)
			return err;
	}
	for (pos = hash32 & (t->cap - 1); t->slots[pos]; pos = (pos + 1) & (t->cap - 1))
		;
	t->slots[pos] = (uint64_t)hash32 << 32 | ((uint64_t)idx + 1);
	t->count++;
	return 0;
}

void idxtab__release(struct idxtab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->count = 0;
}
