#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

struct vec {
	void *items;
	size_t n, cap, size;
};

static void *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 256;
		void *items = realloc(v->items, cap * v->size);

		if (!items)
			return NULL;
		v->items = items;
		v->cap = cap;
	}
	return (char *)v->items + v->size * v->n++;
}

/* The children of box b (already in sibling order), pushed (last first) onto
 * pending when wide enough; the rest are counted as pruned but keep their
 * place, so their neighbours do not move. */
static int expand(struct fg_layout *out, const struct fg_tree *t, int side, double min_value,
		  const struct fg_box *b, struct vec *pending)
{
	const uint32_t *kids;
	uint32_t n = fg_tree__children(t, b->node, &kids), i;
	double sum = 0, x;
	size_t mark = pending->n, lo, hi;

	for (i = 0; i < n; i++)
		sum += fg_tree__value(t, kids[i], side);
	/* Self samples first, as flamegraph.pl's sorted lines put them. */
	x = b->start + (b->value > sum ? b->value - sum : 0);
	for (i = 0; i < n; i++) {
		double v = fg_tree__value(t, kids[i], side);
		struct fg_box *nb;

		if (!(v > 0) || v < min_value) {
			out->pruned++;
			x += v > 0 ? v : 0;
			continue;
		}
		nb = vec_push(pending);
		if (!nb)
			return -ENOMEM;
		*nb = (struct fg_box){ kids[i], b->depth + 1, x, v };
		x += v;
	}
	/* Reverse the new entries so the leftmost child is popped first. */
	for (lo = mark, hi = pending->n; lo + 1 < hi; lo++, hi--) {
		struct fg_box *p = pending->items, tmp = p[lo];

		p[lo] = p[hi - 1];
		p[hi - 1] = tmp;
	}
	return 0;
}

int fg_layout__build(struct fg_layout *out, const struct fg_tree *t, int side, double min_value)
{
	struct vec boxes = { .size = sizeof(struct fg_box) };
	struct vec pending = { .size = sizeof(struct fg_box) };
	struct fg_box *root;
	int err = -ENOMEM;

	memset(out, 0, sizeof(*out));
	root = vec_push(&pending);
	if (!root)
		goto cleanup;
	*root = (struct fg_box){ 0, 0, 0, fg_tree__value(t, 0, side) };
	while (pending.n) {
		struct fg_box b = ((struct fg_box *)pending.items)[--pending.n];
		struct fg_box *slot = vec_push(&boxes);

		if (!slot)
			goto cleanup;
		*slot = b;
		if (b.depth > out->max_depth)
			out->max_depth = b.depth;
		err = expand(out, t, side, min_value, &b, &pending);
		if (err)
			goto cleanup;
		err = -ENOMEM;
	}
	out->boxes = boxes.items;
	out->n = boxes.n;
	boxes.items = NULL;
	err = 0;
cleanup:
	free(boxes.items);
	free(pending.items);
	return err;
}

void fg_layout__free(struct fg_layout *l)
{
	free(l->boxes);
	memset(l, 0, sizeof(*l));
}
