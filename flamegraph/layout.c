#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

int fg_layout__name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = memcmp(a, b, n);
	unsigned char ca, cb;

	if (c || alen == blen)
		return c;
	/* One is a prefix of the other: the shorter continues with ';'. */
	ca = alen > n ? (unsigned char)a[n] : ';';
	cb = blen > n ? (unsigned char)b[n] : ';';
	if (ca != cb)
		return ca < cb ? -1 : 1;
	return alen < blen ? -1 : 1;
}

static int by_name(const void *pa, const void *pb, void *arg)
{
	const struct fg_tree *t = arg;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return fg_layout__name_cmp(fg_tree__name(t, a), fg_tree__name_len(t, a),
				   fg_tree__name(t, b), fg_tree__name_len(t, b));
}

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

/* Sorted children of box b, pushed (last first) onto pending when wide
 * enough; the rest are counted as pruned. */
static int expand(struct fg_layout *out, const struct fg_tree *t, int side, double min_value,
		  const struct fg_box *b, struct vec *kids, struct vec *pending)
{
	uint32_t c;
	double sum = 0, x;
	size_t i;

	kids->n = 0;
	for (c = fg_tree__first_child(t, b->node); c != FG_NONE; c = fg_tree__next_sibling(t, c)) {
		uint32_t *slot = vec_push(kids);

		if (!slot)
			return -ENOMEM;
		*slot = c;
		sum += fg_tree__value(t, c, side);
	}
	if (kids->n > 1)
		qsort_r(kids->items, kids->n, sizeof(uint32_t), by_name, (void *)t);
	/* Self samples first, as flamegraph.pl's sorted lines put them. */
	x = b->start + (b->value > sum ? b->value - sum : 0);
	for (i = 0; i < kids->n; i++) {
		uint32_t kid = ((uint32_t *)kids->items)[i];
		double v = fg_tree__value(t, kid, side);
		struct fg_box *nb;

		if (!(v > 0) || v < min_value) {
			out->pruned++;
			x += v > 0 ? v : 0;
			continue;
		}
		nb = vec_push(pending);
		if (!nb)
			return -ENOMEM;
		*nb = (struct fg_box){ kid, b->depth + 1, x, v };
		x += v;
	}
	return 0;
}

int fg_layout__build(struct fg_layout *out, const struct fg_tree *t, int side, double min_value)
{
	struct vec boxes = { .size = sizeof(struct fg_box) };
	struct vec pending = { .size = sizeof(struct fg_box) };
	struct vec kids = { .size = sizeof(uint32_t) };
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
		size_t first = pending.n, i, j;

		if (!slot)
			goto cleanup;
		*slot = b;
		if (b.depth > out->max_depth)
			out->max_depth = b.depth;
		err = expand(out, t, side, min_value, &b, &kids, &pending);
		if (err)
			goto cleanup;
		err = -ENOMEM;
		/* Reverse the new entries so the leftmost child is popped first. */
		for (i = first, j = pending.n; i + 1 < j; i++, j--) {
			struct fg_box tmp = ((struct fg_box *)pending.items)[i];

			((struct fg_box *)pending.items)[i] = ((struct fg_box *)pending.items)[j - 1];
			((struct fg_box *)pending.items)[j - 1] = tmp;
		}
	}
	out->boxes = boxes.items;
	out->n = boxes.n;
	boxes.items = NULL;
	err = 0;
cleanup:
	free(boxes.items);
	free(pending.items);
	free(kids.items);
	return err;
}

void fg_layout__free(struct fg_layout *l)
{
	free(l->boxes);
	memset(l, 0, sizeof(*l));
}
