#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sym/gopcindex.h"
#include "sym/gopcvalue.h"

/* Pairs between checkpoints: a lookup decodes fewer than this many. */
#define STRIDE 16

/* slot values: not yet looked at, decoded linearly, else 1 + the index
 * of the table's header checkpoint */
#define SLOT_NEW 0u
#define SLOT_LINEAR UINT32_MAX

struct checkpoint {
	uint32_t pc_off; /* pc - base after the pair; in a header: the count */
	uint32_t val; /* in a header: the last checkpoint's pc_off */
	uint32_t pos; /* offset of the next pair from the table start */
};

struct gopcindex {
	uint32_t *slots; /* allocated on the first lookup */
	size_t nslots;
	struct checkpoint *cps;
	size_t ncps, cps_cap;
	size_t max_bytes;
};

struct gopcindex *gopcindex__new(size_t nfuncs, size_t max_checkpoint_bytes)
{
	struct gopcindex *ix = calloc(1, sizeof(*ix));

	if (!ix)
		return NULL;
	ix->nslots = nfuncs * GOPCINDEX_TABLES;
	ix->max_bytes = max_checkpoint_bytes;
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
	return sizeof(*ix) + (ix->slots ? ix->nslots * sizeof(*ix->slots) : 0) +
	       ix->cps_cap * sizeof(struct checkpoint);
}

static bool push_checkpoint(struct gopcindex *ix, const struct checkpoint *cp)
{
	if (ix->ncps == ix->cps_cap) {
		size_t cap = ix->cps_cap ? 2 * ix->cps_cap : 4096;
		struct checkpoint *cps;

		/* the last doubling may stop short of the cap */
		if (cap * sizeof(*cps) > ix->max_bytes)
			cap = ix->max_bytes / sizeof(*cps);
		if (cap <= ix->cps_cap || cap >= UINT32_MAX)
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

/* Decodes the whole table once: a header, then a checkpoint every STRIDE
 * pairs. Tables that are short, corrupt or over budget stay linear. */
static uint32_t build(struct gopcindex *ix, const uint8_t *tab, const uint8_t *end, uint64_t base,
		      unsigned quantum)
{
	struct pcv_state s = { tab, base, (uint32_t)-1 };
	struct checkpoint header = { 0 };
	size_t first = ix->ncps, pairs = 0;
	int err;

	if (!push_checkpoint(ix, &header))
		return SLOT_LINEAR;
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
	if (err != -ENOENT || ix->ncps == first + 1) {
		ix->ncps = first; /* corrupt, too big, or short */
		return SLOT_LINEAR;
	}
	ix->cps[first].pc_off = (uint32_t)(ix->ncps - first - 1);
	ix->cps[first].val = ix->cps[ix->ncps - 1].pc_off;
	return (uint32_t)first + 1;
}

/* How many checkpoints of a table (cp[-1] its header) are at or below
 * off. Checkpoints are about evenly spread over the function's code, so a
 * guess from off's position in it lands near: one cache miss, where a
 * binary search over a large table costs several. */
static uint32_t find_checkpoint(const struct checkpoint *cp, uint64_t off)
{
	uint32_t n = cp[-1].pc_off, last = cp[-1].val, lo = 0, hi = n, i, steps;

	if (off >= last)
		return n;
	i = (uint32_t)(off * n / ((uint64_t)last + 1));
	for (steps = 0; steps < 4; steps++) {
		if (cp[i].pc_off > off) {
			if (!i || cp[i - 1].pc_off <= off)
				return i;
			hi = i--;
		} else {
			if (cp[i + 1].pc_off > off)
				return i + 1;
			lo = ++i;
		}
	}
	/* a skewed table: binary search what is left */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (cp[mid].pc_off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void gopcindex__prefetch(const struct gopcindex *ix, size_t first_slot)
{
	size_t k;

	if (!ix->slots || first_slot + GOPCINDEX_TABLES > ix->nslots)
		return;
	for (k = 0; k < GOPCINDEX_TABLES; k++) {
		uint32_t sl = ix->slots[first_slot + k];

		if (sl != SLOT_NEW && sl != SLOT_LINEAR)
			__builtin_prefetch(&ix->cps[sl - 1]);
	}
}

void gopcindex__seek(struct gopcindex *ix, size_t slot, const uint8_t *tab, const uint8_t *end,
		     uint64_t base, unsigned quantum, uint64_t target, struct pcv_state *s)
{
	uint32_t *sl = NULL;

	*s = (struct pcv_state){ tab, base, (uint32_t)-1 };
	if (!ix->slots && slot < ix->nslots)
		ix->slots = calloc(ix->nslots, sizeof(*ix->slots));
	if (ix->slots && slot < ix->nslots) {
		sl = &ix->slots[slot];
		if (*sl == SLOT_NEW)
			*sl = build(ix, tab, end, base, quantum);
	}
	if (sl && *sl != SLOT_LINEAR && target >= base) {
		const struct checkpoint *cp = ix->cps + *sl;
		uint32_t n = find_checkpoint(cp, target - base);

		if (n) {
			s->p = tab + cp[n - 1].pos;
			s->pc = base + cp[n - 1].pc_off;
			s->val = cp[n - 1].val;
		}
	}
}
