/* Frame tree: nodes in one array, children found through a hash table keyed
 * by (parent, name id), names interned once in a string pool. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strpool.h"
#include "tree.h"

struct node {
	uint32_t name; /* strpool id */
	uint32_t parent;
	uint32_t first_child;
	uint32_t next_sibling;
};

struct fg_tree {
	unsigned flags;
	struct strpool *names;
	struct rt_classifier *classifier;
	uint64_t *name_masks; /* by name id */
	uint32_t name_masks_len;

	struct node *nodes;
	double *value[2]; /* value[1] only in a differential tree */
	uint32_t count, cap;

	uint32_t *slots; /* open addressing: node id + 1, 0 empty */
	uint32_t slots_cap; /* power of two */

	/* The previous stack's path: consecutive stacks share prefixes, and a
	 * byte compare against it is cheaper than hashing the name again. */
	uint32_t *last_path;
	uint32_t last_len, last_cap;

	struct rt_share share[2];
};

static uint32_t slot_hash(uint32_t parent, uint32_t name)
{
	uint64_t k = ((uint64_t)parent << 32 | name) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(k >> 32) ^ (uint32_t)k;
}

static int grow_slots(struct fg_tree *t)
{
	uint32_t cap = t->slots_cap ? t->slots_cap * 2 : 1024, i;
	uint32_t *slots;

	if (cap < t->slots_cap)
		return -ENOMEM;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	/* The root is no one's child: it is never in the table. */
	for (i = 1; i < t->count; i++) {
		uint32_t pos = slot_hash(t->nodes[i].parent, t->nodes[i].name) & (cap - 1);

		while (slots[pos])
			pos = (pos + 1) & (cap - 1);
		slots[pos] = i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->slots_cap = cap;
	return 0;
}

static int grow_nodes(struct fg_tree *t)
{
	uint32_t cap = t->cap ? t->cap * 2 : 4096;
	struct node *nodes;
	int side;

	if (cap <= t->cap || cap > UINT32_MAX / 2)
		return -ENOMEM;
	nodes = realloc(t->nodes, (size_t)cap * sizeof(*nodes));
	if (!nodes)
		return -ENOMEM;
	t->nodes = nodes;
	for (side = 0; side < 2; side++) {
		double *v;

		if (side == 1 && !(t->flags & FG_TREE_DIFF))
			break;
		v = realloc(t->value[side], (size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		t->value[side] = v;
	}
	t->cap = cap;
	return 0;
}

static int new_node(struct fg_tree *t, uint32_t parent, uint32_t name, uint32_t *id)
{
	struct node *n;
	int err;

	if (t->count == t->cap) {
		err = grow_nodes(t);
		if (err)
			return err;
	}
	*id = t->count++;
	n = &t->nodes[*id];
	n->name = name;
	n->parent = parent;
	n->first_child = FG_NONE;
	if (parent != FG_NONE) {
		n->next_sibling = t->nodes[parent].first_child;
		t->nodes[parent].first_child = *id;
	} else {
		n->next_sibling = FG_NONE;
	}
	t->value[0][*id] = 0;
	if (t->value[1])
		t->value[1][*id] = 0;
	return 0;
}

struct fg_tree *fg_tree__new(struct rt_classifier *classifier, unsigned flags)
{
	struct fg_tree *t = calloc(1, sizeof(*t));
	uint32_t root;

	if (!t)
		goto fail;
	t->flags = flags;
	t->classifier = classifier;
	t->names = strpool__new();
	if (!t->names || new_node(t, FG_NONE, 0, &root) || grow_slots(t))
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
	strpool__free(t->names);
	free(t->name_masks);
	free(t->nodes);
	free(t->value[0]);
	free(t->value[1]);
	free(t->slots);
	free(t->last_path);
	free(t);
}

/* Interns a name and, the first time it is seen, classifies it. */
static int intern(struct fg_tree *t, const char *s, size_t len, uint32_t *id)
{
	int err = strpool__intern(t->names, s, len, id);

	if (err)
		return err;
	while (*id >= t->name_masks_len) {
		uint32_t old = t->name_masks_len, cap = old ? old * 2 : 1024, i;
		uint64_t *masks = realloc(t->name_masks, (size_t)cap * sizeof(*masks));

		if (!masks)
			return -ENOMEM;
		for (i = old; i < cap; i++)
			masks[i] = UINT64_MAX; /* not classified yet */
		t->name_masks = masks;
		t->name_masks_len = cap;
	}
	if (t->name_masks[*id] == UINT64_MAX)
		t->name_masks[*id] = rt_classifier__classify(t->classifier,
							     strpool__str(t->names, *id));
	return 0;
}

static int child(struct fg_tree *t, uint32_t parent, uint32_t name, uint32_t *id)
{
	uint32_t pos;
	int err;

	if ((uint64_t)(t->count + 1) * 4 >= (uint64_t)t->slots_cap * 3) {
		err = grow_slots(t);
		if (err)
			return err;
	}
	for (pos = slot_hash(parent, name) & (t->slots_cap - 1); t->slots[pos];
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

static bool same_as_last(const struct fg_tree *t, uint32_t depth, const char *s, size_t len)
{
	uint32_t name;

	if (depth >= t->last_len)
		return false;
	name = t->nodes[t->last_path[depth]].name;
	return strpool__len(t->names, name) == len &&
	       !memcmp(strpool__str(t->names, name), s, len);
}

static int ensure_path(struct fg_tree *t, size_t n)
{
	uint32_t cap;
	uint32_t *path;

	if (n <= t->last_cap)
		return 0;
	if (n > UINT32_MAX / 2)
		return -E2BIG;
	cap = t->last_cap ? t->last_cap : 64;
	while (cap < n)
		cap *= 2;
	path = realloc(t->last_path, (size_t)cap * sizeof(*path));
	if (!path)
		return -ENOMEM;
	t->last_path = path;
	t->last_cap = cap;
	return 0;
}

int fg_tree__add_side(struct fg_tree *t, int side, const char *const *frames,
		      const size_t *lens, size_t n, double count)
{
	bool reverse = t->flags & FG_TREE_REVERSE, cached = true;
	uint32_t node = 0, depth, name;
	uint64_t mask = 0;
	double *value;
	int err;

	if (side < 0 || side > 1 || !t->value[side] || !(count >= 0) || isinf(count) ||
	    (n && !frames))
		return -EINVAL;
	err = ensure_path(t, n);
	if (err)
		return err;
	value = t->value[side];
	value[0] += count;
	for (depth = 0; depth < n; depth++) {
		size_t i = reverse ? n - 1 - depth : depth;
		const char *s = frames[i];
		size_t len = lens ? lens[i] : strlen(s);

		if (cached && same_as_last(t, depth, s, len)) {
			node = t->last_path[depth];
		} else {
			cached = false;
			err = intern(t, s, len, &name);
			if (!err)
				err = child(t, node, name, &node);
			if (err) {
				/* Take back what this stack already added, so a
				 * failed add leaves the counts as they were. */
				uint32_t d;

				value = t->value[side];
				for (d = 0; d < depth; d++)
					value[t->last_path[d]] -= count;
				value[0] -= count;
				t->last_len = 0;
				return err;
			}
			/* value[] may have moved with the node array. */
			value = t->value[side];
			t->last_path[depth] = node;
		}
		value[node] += count;
		mask |= t->name_masks[t->nodes[node].name];
	}
	t->last_len = (uint32_t)n;
	rt_share__add(&t->share[side], mask, count);
	return 0;
}

int fg_tree__add(struct fg_tree *t, const char *const *frames, const size_t *lens, size_t n,
		 double count)
{
	return fg_tree__add_side(t, 0, frames, lens, n, count);
}

bool fg_tree__is_diff(const struct fg_tree *t)
{
	return t->flags & FG_TREE_DIFF;
}

double fg_tree__total(const struct fg_tree *t, int side)
{
	return side >= 0 && side < 2 && t->value[side] ? t->value[side][0] : 0;
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
	       (size_t)t->name_masks_len * sizeof(uint64_t) +
	       (size_t)t->last_cap * sizeof(uint32_t);
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

uint32_t fg_tree__first_child(const struct fg_tree *t, uint32_t node)
{
	return t->nodes[node].first_child;
}

uint32_t fg_tree__next_sibling(const struct fg_tree *t, uint32_t node)
{
	return t->nodes[node].next_sibling;
}
