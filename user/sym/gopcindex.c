#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sym/gopcindex.h"
#include "sym/gopcvalue.h"

/* Pairs between checkpoints: a lookup decodes fewer than this many. */
#define STRIDE 16

enum { SLOT_EMPTY = 0, SLOT_INDEXED, SLOT_LINEAR };

struct checkpoint {
	uint32_t pc_off; /* pc - base after the pair */
	uint32_t val;
	uint32_t pos; /* offset of the next pair from the table start */
};

struct slot {
	uint32_t key;
	uint32_t first; /* first checkpoint */
	uint32_t count;
	uint32_t kind;
};

struct gopcindex {
	struct slot *slots;
	uint32_t nslots; /* power of two */
	uint32_t used;
	struct checkpoint *cps;
	size_t ncps, cps_cap;
	size_t max_bytes;
};

struct gopcindex *gopcindex__new(size_t max_bytes)
{
	struct gopcindex *ix = calloc(1, sizeof(*ix));

	if (ix)
		ix->max_bytes = max_bytes;
	return ix;
}

void gopcindex__free(struct gopcindex *ix)
{
	if (!ix)
		return;
	free(ix->slots);
	free(ix->cps);
	free(ix);
}

size_t gopcindex__bytes(const struct gopcindex *ix)
{
	return sizeof(*ix) + (size_t)ix->nslots * sizeof(struct slot) +
	       ix->cps_cap * sizeof(struct checkpoint);
}

static inline uint32_t slot_of(uint32_t key, uint32_t nslots)
{
	return (key * 2654435761u) & (nslots - 1);
}

static struct slot *find_slot(const struct gopcindex *ix, uint32_t key)
{
	uint32_t i;

	if (!ix->nslots)
		return NULL;
	for (i = slot_of(key, ix->nslots);; i = (i + 1) & (ix->nslots - 1)) {
		struct slot *s = &ix->slots[i];

		if (s->kind == SLOT_EMPTY)
			return NULL;
		if (s->key == key)
			return s;
	}
}

/* Doubles the slot array when half full; false when over budget. */
static bool grow_slots(struct gopcindex *ix)
{
	uint32_t n = ix->nslots ? 2 * ix->nslots : 1024, i;
	struct slot *slots;

	if ((size_t)n * sizeof(*slots) + ix->cps_cap * sizeof(struct checkpoint) > ix->max_bytes)
		return false;
	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return false;
	for (i = 0; i < ix->nslots; i++) {
		uint32_t j;

		if (ix->slots[i].kind == SLOT_EMPTY)
			continue;
		for (j = slot_of(ix->slots[i].key, n); slots[j].kind != SLOT_EMPTY; j = (j + 1) & (n - 1))
			;
		slots[j] = ix->slots[i];
	}
	free(ix->slots);
	ix->slots = slots;
	ix->nslots = n;
	return true;
}

static struct slot *add_slot(struct gopcindex *ix, uint32_t key)
{
	uint32_t i;

	if ((ix->used + 1) * 2 > ix->nslots && !grow_slots(ix))
		return NULL;
	for (i = slot_of(key, ix->nslots); ix->slots[i].kind != SLOT_EMPTY;
	     i = (i + 1) & (ix->nslots - 1))
		;
	ix->used++;
	ix->slots[i] = (struct slot){ .key = key, .kind = SLOT_LINEAR };
	return &ix->slots[i];
}

static bool push_checkpoint(struct gopcindex *ix, const struct checkpoint *cp)
{
	if (ix->ncps == ix->cps_cap) {
		size_t cap = ix->cps_cap ? 2 * ix->cps_cap : 4096;
		struct checkpoint *cps;

		if ((size_t)ix->nslots * sizeof(struct slot) + cap * sizeof(*cps) > ix->max_bytes ||
		    cap > UINT32_MAX)
			return false;
		cps = realloc(ix->cps, cap * sizeof(*cps));
		if (!cps)
			return false;
		ix->cps = cps;
		ix->cps_cap = cap;
	}
	ix->cps[ix->ncps++] = *cp;
	return true;
}

/* Decodes the whole table once, keeping a checkpoint every STRIDE pairs.
 * Tables that are short, corrupt or over budget stay linear. */
static void build(struct gopcindex *ix, struct slot *slot, const uint8_t *tab, const uint8_t *end,
		  uint64_t base, unsigned quantum)
{
	struct pcv_state s = { tab, base, (uint32_t)-1 };
	size_t first = ix->ncps, pairs = 0;
	int err;

	while (!(err = pcv_step(&s, end, base, quantum))) {
		struct checkpoint cp;

		if (++pairs % STRIDE)
			continue;
		if (s.pc - base > UINT32_MAX || (size_t)(s.p - tab) > UINT32_MAX)
			break;
		cp = (struct checkpoint){ (uint32_t)(s.pc - base), s.val, (uint32_t)(s.p - tab) };
		if (!push_checkpoint(ix, &cp))
			break;
	}
	if (err != -ENOENT || ix->ncps == first) {
		ix->ncps = first; /* corrupt, too big, or short: linear */
		return;
	}
	slot->kind = SLOT_INDEXED;
	slot->first = (uint32_t)first;
	slot->count = (uint32_t)(ix->ncps - first);
}

int gopcindex__value(struct gopcindex *ix, uint32_t key, const uint8_t *tab, const uint8_t *end,
		     uint64_t base, unsigned quantum, uint64_t target, int32_t *val)
{
	struct pcv_state s = { tab, base, (uint32_t)-1 };
	struct slot *slot = find_slot(ix, key);
	int err;

	if (!slot && (slot = add_slot(ix, key)))
		build(ix, slot, tab, end, base, quantum);
	if (slot && slot->kind == SLOT_INDEXED && target >= base) {
		const struct checkpoint *cp = ix->cps + slot->first;
		uint32_t lo = 0, hi = slot->count;

		/* the last checkpoint at or below target, if any */
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if (base + cp[mid].pc_off <= target)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo) {
			s.p = tab + cp[lo - 1].pos;
			s.pc = base + cp[lo - 1].pc_off;
			s.val = cp[lo - 1].val;
		}
	}
	while (!(err = pcv_step(&s, end, base, quantum))) {
		if (target < s.pc) {
			*val = (int32_t)s.val;
			return 0;
		}
	}
	return err;
}
