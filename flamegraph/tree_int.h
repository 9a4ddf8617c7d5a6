/* Internal to the frame tree (tree.c builds, tree_finish.c finishes). */
#ifndef PODFLAME_FG_TREE_INT_H
#define PODFLAME_FG_TREE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime_share.h"
#include "tree.h"

struct node {
	uint32_t name; /* strpool id */
	uint32_t parent;
};

/* Stacks wait in a small batch so that their table lookups can be issued
 * together: a lookup is a cache miss on a big table, and misses of
 * independent stacks overlap where misses along one stack cannot. */
#define FG_BATCH 32

struct fg_queued {
	uint32_t off, n; /* their name ids: qnames[off .. off + n) */
	uint32_t shared; /* leading names equal to the stack queued before */
	int side;
	double count;
};

/* Names are looked up in the tree's own index (a profile has a few thousand
 * distinct names and millions of frames) before the string pool. */
struct fg_name_slot {
	uint64_t hash;
	const char *str; /* the pooled copy (stable); NULL: empty */
	uint32_t id, len;
};

struct fg_tree {
	unsigned flags;
	struct strpool *names;
	struct rt_classifier *classifier;
	uint64_t *name_masks; /* by name id */
	uint32_t name_masks_len;
	struct fg_name_slot *name_index; /* open addressing, str NULL: empty */
	uint32_t name_index_cap, name_index_used;

	struct node *nodes;
	/* Self counts while building, inclusive once finished. */
	double *value[2]; /* value[1] only in a differential tree */
	double total[2];
	uint32_t count, cap;

	uint32_t *slots; /* building: node id + 1, 0 empty; NULL once finished */
	uint32_t slots_cap; /* power of two */

	struct fg_queued queue[FG_BATCH];
	unsigned nqueued;
	uint32_t *qnames;
	size_t qnames_len, qnames_cap;

	/* Finished: the children of n are kids[kid_start[n] .. kid_start[n + 1]);
	 * both arrays were sized for kids_count nodes. */
	uint32_t *kid_start, *kids;
	uint32_t kids_count;
	bool finished;

	struct rt_share share[2];
};

int fg_tree_rehash(struct fg_tree *t, uint32_t cap);
int fg_tree_rehash_for_count(struct fg_tree *t);
/* Adds the queued stacks to the nodes. */
int fg_tree_flush(struct fg_tree *t);
/* Back to building after a finish. */
int fg_tree_unfinish(struct fg_tree *t);
void fg_tree_free_kids(struct fg_tree *t);

#endif
