/* Finishing a frame tree: counts made inclusive (children have larger ids
 * than their parents, so one backward pass does it) and every node's
 * children listed in sibling order (flamegraph.pl's: the bytes of "name;"),
 * so the layout walks them without sorting. Two counting sorts do the
 * listing: nodes by the rank of their name, then stably by parent; the
 * count by parent and the inclusive counts run beside the first. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "strpool.h"
#include "thread.h"
#include "tree_int.h"

int fg_tree__name_cmp(const char *a, size_t alen, const char *b, size_t blen)
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
	const struct strpool *names = arg;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return fg_tree__name_cmp(strpool__str(names, a), strpool__len(names, a),
				 strpool__str(names, b), strpool__len(names, b));
}

/* rank[name id]: the name's place in sibling order. */
static uint32_t *name_ranks(const struct fg_tree *t)
{
	uint32_t n = strpool__count(t->names), i;
	uint32_t *order = malloc((size_t)n * sizeof(*order));
	uint32_t *rank = malloc((size_t)n * sizeof(*rank));

	if (!order || !rank) {
		free(order);
		free(rank);
		return NULL;
	}
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), by_name, t->names);
	for (i = 0; i < n; i++)
		rank[order[i]] = i;
	free(order);
	return rank;
}

/* The work of finishing that does not depend on the names' order: how
 * many children each node has (start[p + 1] once summed up: where p's
 * children begin) and the inclusive counts. On a thread of its own for big
 * trees, beside the sort by name. */
struct by_parent {
	struct fg_tree *t;
	uint32_t *start;
};

static void *count_by_parent(void *arg)
{
	const struct by_parent *bp = arg;
	struct fg_tree *t = bp->t;
	uint32_t *start = bp->start, n = t->count, id;
	int side;

	for (id = 1; id < n; id++)
		start[t->nodes[id].parent + 1]++;
	for (id = 0; id < n; id++)
		start[id + 1] += start[id];
	/* children have larger ids than their parents: one pass backwards */
	for (side = 0; side < 2 && t->value[side]; side++)
		for (id = n - 1; id > 0; id--)
			t->value[side][t->nodes[id].parent] += t->value[side][id];
	return NULL;
}

#define FINISH_THREAD_MIN_NODES 65536

/* kids/kid_start from the rank of each name, and the inclusive counts;
 * by_rank is n - 1 entries of scratch. */
static int list_children(struct fg_tree *t, const uint32_t *rank, uint32_t *by_rank)
{
	uint32_t nnames = strpool__count(t->names), n = t->count, i;
	uint32_t *cnt = calloc((size_t)nnames + 1, sizeof(uint32_t));
	uint32_t *start = fg_big_alloc(((size_t)n + 1) * sizeof(uint32_t));
	uint32_t *kids = fg_big_alloc((size_t)n * sizeof(uint32_t));
	struct by_parent bp = { t, start };
	pthread_t thread;
	bool threaded;

	if (!cnt || !start || !kids) {
		free(cnt);
		fg_big_free(start, ((size_t)n + 1) * sizeof(uint32_t));
		fg_big_free(kids, (size_t)n * sizeof(uint32_t));
		return -ENOMEM;
	}
	threaded = n >= FINISH_THREAD_MIN_NODES && fg_tree__may_thread(t) &&
		   fg_thread_start(&thread, count_by_parent, &bp) == 0;
	for (i = 1; i < n; i++)
		cnt[rank[t->nodes[i].name] + 1]++;
	for (i = 0; i < nnames; i++)
		cnt[i + 1] += cnt[i];
	for (i = 1; i < n; i++)
		by_rank[cnt[rank[t->nodes[i].name]]++] = i;
	free(cnt);
	if (threaded)
		pthread_join(thread, NULL);
	else
		count_by_parent(&bp);
	/* Fill in rank order, advancing start[p] past each child of p... */
	for (i = 0; i + 1 < n; i++) {
		uint32_t id = by_rank[i];

		kids[start[t->nodes[id].parent]++] = id;
	}
	/* ...so start[p] is now where p + 1's children begin. */
	memmove(start + 1, start, (size_t)n * sizeof(uint32_t));
	start[0] = 0;
	t->kid_start = start;
	t->kids = kids;
	t->kids_count = n;
	return 0;
}

int fg_tree__finish(struct fg_tree *t)
{
	uint32_t *rank;
	int err;

	if (t->finished)
		return 0;
	err = fg_tree_drain(t);
	if (err)
		return err;
	rank = name_ranks(t);
	if (!rank)
		return -ENOMEM;
	/* The lookup table is rebuilt if more stacks come; its memory serves
	 * as the scratch of the first sort meanwhile (it has >= count slots). */
	err = list_children(t, rank, t->slots);
	free(rank);
	if (err)
		return err;
	fg_big_free(t->slots, (size_t)t->slots_cap * sizeof(uint32_t));
	t->slots = NULL;
	t->slots_cap = 0;
	t->finished = true;
	return 0;
}

/* Self counts again (a parent's inclusive count minus its children's; going
 * up the ids each child is still inclusive when its parent takes it off),
 * and the lookup table back. */
int fg_tree_unfinish(struct fg_tree *t)
{
	uint32_t id;
	int side, err = fg_tree_rehash_for_count(t);

	if (err)
		return err;
	for (side = 0; side < 2 && t->value[side]; side++)
		for (id = 1; id < t->count; id++)
			t->value[side][t->nodes[id].parent] -= t->value[side][id];
	fg_tree_free_kids(t);
	t->finished = false;
	return 0;
}

void fg_tree_free_kids(struct fg_tree *t)
{
	fg_big_free(t->kid_start, ((size_t)t->kids_count + 1) * sizeof(uint32_t));
	fg_big_free(t->kids, (size_t)t->kids_count * sizeof(uint32_t));
	t->kid_start = t->kids = NULL;
	t->kids_count = 0;
}
