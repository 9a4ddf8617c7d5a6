/* Frame tree, building and reading (finishing is in tree_finish.c).
 *
 * Nodes are (name id, parent id) pairs in one array, found through an
 * open-addressing table keyed by (parent, name); a stack writes its count to
 * its last node only, so a frame costs one name lookup and one table probe. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bigmem.h"
#include "strpool.h"
#include "tree_int.h"

static int grow_name_index(struct fg_tree *t);

uint32_t fg_tree_slot_hash(uint32_t parent, uint32_t name)
{
	uint64_t k = ((uint64_t)parent << 32 | name) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(k >> 29);
}

int fg_tree_rehash(struct fg_tree *t, uint32_t cap)
{
	uint32_t *slots = fg_big_alloc((size_t)cap * sizeof(*slots)), i;

	if (!slots)
		return -ENOMEM;
	/* The root is no one's child: it is never in the table. */
	for (i = 1; i < t->count; i++) {
		uint32_t pos = fg_tree_slot_hash(t->nodes[i].parent, t->nodes[i].name) & (cap - 1);

		while (slots[pos])
			pos = (pos + 1) & (cap - 1);
		slots[pos] = i + 1;
	}
	fg_big_free(t->slots, (size_t)t->slots_cap * sizeof(*slots));
	t->slots = slots;
	t->slots_cap = cap;
	return 0;
}

int fg_tree_rehash_for_count(struct fg_tree *t)
{
	uint32_t cap = 1024;

	while ((uint64_t)cap * 3 <= (uint64_t)t->count * 4 + 4)
		cap *= 2;
	return fg_tree_rehash(t, cap);
}

static int grow_nodes(struct fg_tree *t)
{
	uint32_t cap = t->cap ? t->cap * 2 : 4096;
	struct node *nodes;
	int side;

	if (cap <= t->cap || cap > UINT32_MAX / 2)
		return -ENOMEM;
	nodes = fg_big_grow(t->nodes, (size_t)t->cap * sizeof(*nodes),
			    (size_t)cap * sizeof(*nodes));
	if (!nodes)
		return -ENOMEM;
	t->nodes = nodes;
	for (side = 0; side < 2; side++) {
		double *v;

		if (side == 1 && !(t->flags & FG_TREE_DIFF))
			break;
		v = fg_big_grow(t->value[side], (size_t)t->cap * sizeof(*v),
				(size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		t->value[side] = v;
	}
	t->cap = cap;
	return 0;
}

static int new_node(struct fg_tree *t, uint32_t parent, uint32_t name, uint32_t *id)
{
	int err;

	if (t->count == t->cap) {
		err = grow_nodes(t);
		if (err)
			return err;
	}
	*id = t->count++;
	t->nodes[*id] = (struct node){ name, parent };
	t->value[0][*id] = 0;
	if (t->value[1])
		t->value[1][*id] = 0;
	return 0;
}

struct fg_tree *fg_tree__new(struct rt_classifier *classifier, unsigned flags)
{
	/* Aligned: the worker's fields must start a cache line. */
	struct fg_tree *t = aligned_alloc(_Alignof(struct fg_tree), sizeof(*t));
	uint32_t root;

	if (!t)
		goto fail;
	memset(t, 0, sizeof(*t));
	t->flags = flags;
	t->classifier = classifier;
	t->fill = &t->batch[0];
	t->no_worker = flags & FG_TREE_SERIAL;
	t->names = strpool__new();
	if (!t->names || grow_name_index(t) || new_node(t, FG_NONE, 0, &root) ||
	    fg_tree_rehash(t, 1024))
		goto fail;
	return t;
fail:
	fg_tree__free(t);
	errno = ENOMEM;
	return NULL;
}

void fg_tree__free(struct fg_tree *t)
{
	if (!t)
		return;
	fg_tree_free_batches(t); /* first: the worker may be using the nodes */
	strpool__free(t->names);
	free(t->name_masks);
	free(t->name_index);
	fg_big_free(t->nodes, (size_t)t->cap * sizeof(*t->nodes));
	fg_big_free(t->value[0], (size_t)t->cap * sizeof(double));
	fg_big_free(t->value[1], (size_t)t->cap * sizeof(double));
	fg_big_free(t->slots, (size_t)t->slots_cap * sizeof(uint32_t));
	fg_tree_free_kids(t);
	free(t);
}

/* ---- names ---------------------------------------------------------------- */

/* The name index's hash, over every byte (a hash of a sample of the bytes
 * would let a crafted input put all its names in one probe chain): one
 * multiply per eight bytes, mixed down at the end. Matches are confirmed
 * byte for byte, so it only has to spread.
 *
 * The last partial word is read as loads that overlap bytes already
 * hashed (the length is hashed too, so this stays a function of the
 * name): gathering it byte by byte into a word made the CPU wait for the
 * byte stores before the word load, 13% of the parse thread's time. */
static uint64_t load64(const char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	return w;
}

static uint32_t load32(const char *s)
{
	uint32_t w;

	memcpy(&w, s, 4);
	return w;
}

static uint64_t name_hash(const char *s, size_t len)
{
	uint64_t h = 0x243f6a8885a308d3ull ^ ((uint64_t)len * 0x9e3779b97f4a7c15ull), w;
	size_t i;

	if (len >= 8) {
		for (i = 0; i + 8 <= len; i += 8)
			h = (h ^ load64(s + i)) * 0xff51afd7ed558ccdull;
		if (i < len)
			h = (h ^ load64(s + len - 8)) * 0xff51afd7ed558ccdull;
	} else if (len) {
		if (len >= 4)
			w = (uint64_t)load32(s) << 32 | load32(s + len - 4);
		else
			w = (uint64_t)(unsigned char)s[0] << 16 |
			    (uint64_t)(unsigned char)s[len / 2] << 8 | (unsigned char)s[len - 1];
		h = (h ^ w) * 0xff51afd7ed558ccdull;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

static int classify(struct fg_tree *t, uint32_t id)
{
	while (id >= t->name_masks_len) {
		uint32_t old = t->name_masks_len, cap = old ? old * 2 : 1024, i;
		uint64_t *masks = realloc(t->name_masks, (size_t)cap * sizeof(*masks));

		if (!masks)
			return -ENOMEM;
		for (i = old; i < cap; i++)
			masks[i] = UINT64_MAX; /* not classified yet */
		t->name_masks = masks;
		t->name_masks_len = cap;
	}
	if (t->name_masks[id] == UINT64_MAX)
		t->name_masks[id] =
			rt_classifier__classify(t->classifier, strpool__str(t->names, id));
	return 0;
}

/* The tree's own index of names, in front of the string pool: a faster
 * hash, and the pooled string's pointer kept beside it. */
static int grow_name_index(struct fg_tree *t)
{
	uint32_t cap = t->name_index_cap ? t->name_index_cap * 2 : 4096, i;
	struct fg_name_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->name_index_cap; i++) {
		const struct fg_name_slot *old = &t->name_index[i];
		uint32_t pos;

		if (!old->str)
			continue;
		for (pos = (uint32_t)old->hash & (cap - 1); slots[pos].str;
		     pos = (pos + 1) & (cap - 1))
			;
		slots[pos] = *old;
	}
	free(t->name_index);
	t->name_index = slots;
	t->name_index_cap = cap;
	return 0;
}

/* Interns a name and, the first time it is seen, classifies it. */
static int intern(struct fg_tree *t, const char *s, size_t len, uint32_t *id)
{
	uint64_t h = name_hash(s, len);
	uint32_t pos;
	int err;

	for (pos = (uint32_t)h & (t->name_index_cap - 1); t->name_index[pos].str;
	     pos = (pos + 1) & (t->name_index_cap - 1)) {
		const struct fg_name_slot *slot = &t->name_index[pos];

		if (slot->hash == h && slot->len == len && !memcmp(slot->str, s, len)) {
			*id = slot->id;
			return 0;
		}
	}
	if (len >= UINT32_MAX)
		return -E2BIG;
	err = strpool__intern(t->names, s, len, id);
	if (!err)
		err = classify(t, *id);
	if (err)
		return err;
	if ((uint64_t)(t->name_index_used + 1) * 2 > t->name_index_cap) {
		err = grow_name_index(t);
		if (err)
			return err;
		for (pos = (uint32_t)h & (t->name_index_cap - 1); t->name_index[pos].str;
		     pos = (pos + 1) & (t->name_index_cap - 1))
			;
	}
	t->name_index[pos] =
		(struct fg_name_slot){ h, strpool__str(t->names, *id), *id, (uint32_t)len };
	t->name_index_used++;
	return 0;
}

/* ---- nodes ---------------------------------------------------------------- */

int fg_tree_child(struct fg_tree *t, uint32_t parent, uint32_t name, uint32_t *id)
{
	uint32_t pos;
	int err;

	if ((uint64_t)(t->count + 1) * 4 >= (uint64_t)t->slots_cap * 3) {
		if (t->slots_cap > UINT32_MAX / 8)
			return -ENOMEM;
		/* Grow 8x while small: a growing tree is rehashed few times
		 * (each rehash is a cache miss per node). */
		err = fg_tree_rehash(t, t->slots_cap * (t->slots_cap < (1u << 21) ? 8 : 2));
		if (err)
			return err;
	}
	for (pos = fg_tree_slot_hash(parent, name) & (t->slots_cap - 1); t->slots[pos];
	     pos = (pos + 1) & (t->slots_cap - 1)) {
		const struct node *n = &t->nodes[t->slots[pos] - 1];

		if (n->parent == parent && n->name == name) {
			*id = t->slots[pos] - 1;
			return 0;
		}
	}
	err = new_node(t, parent, name, id);
	if (err)
		return err;
	t->slots[pos] = *id + 1;
	return 0;
}

int fg_tree__add_side(struct fg_tree *t, int side, const char *const *frames, const size_t *lens,
		      size_t n, double count)
{
	bool reverse = t->flags & FG_TREE_REVERSE;
	const uint32_t *prev = NULL;
	size_t depth, shared = 0, prev_n = 0;
	struct fg_batch *b;
	uint64_t mask = 0;
	uint32_t *names;
	int err;

	/* (The flags, not value[1]: the worker may be moving that array.) */
	if (side < 0 || side > 1 || (side == 1 && !(t->flags & FG_TREE_DIFF)) || !(count >= 0) ||
	    isinf(count) || (n && !frames) || n > UINT32_MAX)
		return -EINVAL;
	if (t->finished) {
		err = fg_tree_unfinish(t);
		if (err)
			return err;
	}
	err = fg_tree_reserve(t, n);
	if (err)
		return err;
	b = t->fill;
	names = b->names + b->len;
	/* Sorted input (stackcollapse, record) repeats the previous stack's
	 * first frames: a byte compare settles those without a lookup. */
	if (b->n) {
		prev = b->names + b->q[b->n - 1].off;
		prev_n = b->q[b->n - 1].n;
	}
	for (depth = 0; depth < n; depth++) {
		size_t i = reverse ? n - 1 - depth : depth;
		size_t len = lens ? lens[i] : strlen(frames[i]);

		if (shared == depth && depth < prev_n &&
		    strpool__len(t->names, prev[depth]) == len &&
		    !memcmp(strpool__str(t->names, prev[depth]), frames[i], len)) {
			names[depth] = prev[depth];
			shared++;
		} else {
			err = intern(t, frames[i], len, &names[depth]);
			if (err)
				return err;
		}
		mask |= t->name_masks[names[depth]];
	}
	b->q[b->n++] =
		(struct fg_queued){ (uint32_t)b->len, (uint32_t)n, (uint32_t)shared, side, count };
	b->len += n;
	t->total[side] += count;
	rt_share__add(&t->share[side], mask, count);
	return b->n == FG_HANDOFF ? fg_tree_handoff(t) : 0;
}

int fg_tree__add(struct fg_tree *t, const char *const *frames, const size_t *lens, size_t n,
		 double count)
{
	return fg_tree__add_side(t, 0, frames, lens, n, count);
}

/* ---- reading -------------------------------------------------------------- */

bool fg_tree__is_diff(const struct fg_tree *t)
{
	return t->flags & FG_TREE_DIFF;
}

bool fg_tree__is_finished(const struct fg_tree *t)
{
	return t->finished;
}

bool fg_tree__may_thread(const struct fg_tree *t)
{
	return !t->no_worker && sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}

double fg_tree__total(const struct fg_tree *t, int side)
{
	return side >= 0 && side < 2 ? t->total[side] : 0;
}

size_t fg_tree__nodes(const struct fg_tree *t)
{
	return t->count;
}

size_t fg_tree__names(const struct fg_tree *t)
{
	return strpool__count(t->names);
}

size_t fg_tree__bytes(const struct fg_tree *t)
{
	size_t per_node = sizeof(struct node) + sizeof(double) * (t->value[1] ? 2 : 1);

	return sizeof(*t) + strpool__bytes(t->names) + (size_t)t->cap * per_node +
	       (size_t)t->slots_cap * sizeof(uint32_t) +
	       (t->kids ? (2 * (size_t)t->count + 1) * sizeof(uint32_t) : 0) +
	       (size_t)t->name_masks_len * sizeof(uint64_t) +
	       (size_t)t->name_index_cap * sizeof(struct fg_name_slot) + sizeof(t->batch) +
	       (t->batch[0].cap + t->batch[1].cap) * sizeof(uint32_t);
}

const struct rt_share *fg_tree__share(const struct fg_tree *t, int side)
{
	return &t->share[side == FG_SIDE_NEW ? 1 : 0];
}

const struct rt_classifier *fg_tree__classifier(const struct fg_tree *t)
{
	return t->classifier;
}

const char *fg_tree__name(const struct fg_tree *t, uint32_t node)
{
	return strpool__str(t->names, t->nodes[node].name);
}

uint32_t fg_tree__name_id(const struct fg_tree *t, uint32_t node)
{
	return t->nodes[node].name;
}

size_t fg_tree__name_len(const struct fg_tree *t, uint32_t node)
{
	return strpool__len(t->names, t->nodes[node].name);
}

uint64_t fg_tree__mask(const struct fg_tree *t, uint32_t node)
{
	return node == 0 ? 0 : t->name_masks[t->nodes[node].name];
}

double fg_tree__value(const struct fg_tree *t, uint32_t node, int side)
{
	return side >= 0 && side < 2 && t->value[side] ? t->value[side][node] : 0;
}

uint32_t fg_tree__parent(const struct fg_tree *t, uint32_t node)
{
	return t->nodes[node].parent;
}

uint32_t fg_tree__children(const struct fg_tree *t, uint32_t node, const uint32_t **kids)
{
	if (!t->finished) {
		*kids = NULL;
		return 0;
	}
	*kids = t->kids + t->kid_start[node];
	return t->kid_start[node + 1] - t->kid_start[node];
}
