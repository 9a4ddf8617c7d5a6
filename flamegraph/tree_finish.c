/* Finishing a frame tree: counts made inclusive (children have larger ids
 * than their parents, so one backward pass does it) and every node's
 * children listed in sibling order (flamegraph.pl's: the bytes of "name;"),
 * so the layout walks them without sorting. One counting sort groups the
 * nodes by parent, then the groups of two or more are put in name order:
 * a sort by name first and a stable one by parent after touched every
 * node twice at random, 60% of the time finishing took. The count by
 * parent runs beside the sort of the names, the inclusive counts beside
 * the listing. */
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

static int by_key(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
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

/* Runs fn(arg) on a helper thread when the tree is big enough to gain
 * from it, else here. true when the caller must join *thread. */
#define FINISH_THREAD_MIN_NODES 65536

static bool run_beside(const struct fg_tree *t, pthread_t *thread, void *(*fn)(void *), void *arg)
{
	if (t->count >= FINISH_THREAD_MIN_NODES && fg_tree__may_thread(t) &&
	    fg_thread_start(thread, fn, arg) == 0)
		return true;
	fn(arg);
	return false;
}

/* start[p + 1]: how many children p has, summed up: where p's children
 * begin; and the most children a node has. Beside the sort of the names. */
struct by_parent {
	const struct fg_tree *t;
	uint32_t *start;
	uint32_t most_kids;
};

static void *count_by_parent(void *arg)
{
	struct by_parent *bp = arg;
	const struct fg_tree *t = bp->t;
	uint32_t *start = bp->start, n = t->count, id, most = 0;

	for (id = 1; id < n; id++)
		start[t->nodes[id].parent + 1]++;
	for (id = 0; id < n; id++) {
		if (start[id + 1] > most)
			most = start[id + 1];
		start[id + 1] += start[id];
	}
	bp->most_kids = most;
	return NULL;
}

/* The inclusive counts; children have larger ids than their parents, so
 * one pass backwards. Beside the listing of the children. */
static void *make_inclusive(void *arg)
{
	struct fg_tree *t = arg;
	uint32_t id;
	int side;

	for (side = 0; side < 2 && t->value[side]; side++)
		for (id = t->count - 1; id > 0; id--)
			t->value[side][t->nodes[id].parent] += t->value[side][id];
	return NULL;
}

/* Puts kids[0..m) in name-rank order, key[] being m entries of scratch.
 * Siblings have distinct names, so ranks never tie. */
static void sort_siblings(const struct fg_tree *t, const uint32_t *rank, uint32_t *kids, uint32_t m,
			  uint64_t *key)
{
	uint32_t i, j;

	for (i = 0; i < m; i++)
		key[i] = (uint64_t)rank[t->nodes[kids[i]].name] << 32 | kids[i];
	if (m <= 32) {
		for (i = 1; i < m; i++) {
			uint64_t k = key[i];

			for (j = i; j > 0 && key[j - 1] > k; j--)
				key[j] = key[j - 1];
			key[j] = k;
		}
	} else {
		qsort(key, m, sizeof(*key), by_key);
	}
	for (i = 0; i < m; i++)
		kids[i] = (uint32_t)key[i];
}

/* kids/kid_start: the children of each node, grouped by parent in one
 * counting sort, then each group of two or more (most nodes have one child
 * or none) in name order; the inclusive counts meanwhile. Nothing can fail
 * once those have started. */
static int list_children(struct fg_tree *t)
{
	uint32_t n = t->count, *rank = NULL, i;
	uint32_t *start = fg_big_alloc(((size_t)n + 1) * sizeof(uint32_t));
	uint32_t *kids = fg_big_alloc((size_t)n * sizeof(uint32_t));
	struct by_parent bp = { t, start, 0 };
	uint64_t *keys = NULL;
	pthread_t thread;
	bool threaded;

	if (!start || !kids)
		goto fail;
	threaded = run_beside(t, &thread, count_by_parent, &bp);
	rank = name_ranks(t);
	if (threaded)
		pthread_join(thread, NULL);
	keys = malloc(((size_t)bp.most_kids + 1) * sizeof(*keys));
	if (!rank || !keys)
		goto fail;
	threaded = run_beside(t, &thread, make_inclusive, t);
	/* Fill in id order, advancing start[p] past each child of p... */
	for (i = 1; i < n; i++)
		kids[start[t->nodes[i].parent]++] = i;
	/* ...so start[p] is now where p + 1's children begin. */
	memmove(start + 1, start, (size_t)n * sizeof(uint32_t));
	start[0] = 0;
	for (i = 0; i < n; i++)
		if (start[i + 1] - start[i] > 1)
			sort_siblings(t, rank, kids + start[i], start[i + 1] - start[i], keys);
	if (threaded)
		pthread_join(thread, NULL);
	free(keys);
	free(rank);
	t->kid_start = start;
	t->kids = kids;
	t->kids_count = n;
	return 0;
fail:
	free(keys);
	free(rank);
	fg_big_free(start, ((size_t)n + 1) * sizeof(uint32_t));
	fg_big_free(kids, (size_t)n * sizeof(uint32_t));
	return -ENOMEM;
}

int fg_tree__finish(struct fg_tree *t)
{
	int err;

	if (t->finished)
		return 0;
	err = fg_tree_drain(t);
	if (err)
		return err;
	err = list_children(t);
	if (err)
		return err;
	/* The lookup table is rebuilt if more stacks come. */
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
